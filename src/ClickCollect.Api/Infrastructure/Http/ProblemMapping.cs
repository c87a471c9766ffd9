using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>
/// Turns what escapes a handler into an RFC 9457 problem. Bad requests detected by ASP.NET Core's
/// binding (malformed JSON, wrong types, unparsable route or query values, oversized bodies) name the
/// field the client sent; anything else is a 500 that is logged once and never shows a stack trace.
/// </summary>
internal sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, errors) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, TitleOf(bad.StatusCode), ErrorsOf(bad)),
            _ => (StatusCodes.Status500InternalServerError, "Erreur interne", null),
        };
        if (status >= 500) logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);

        http.Response.StatusCode = status;
        var details = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title };
        if (status < 500) details.Detail = exception.InnerException is JsonException ? "Le corps JSON est invalide." : exception.Message;
        if (errors is not null) details.Extensions["errors"] = errors;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = details, Exception = exception });
    }

    static string TitleOf(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Contenu trop volumineux",
        StatusCodes.Status415UnsupportedMediaType => "Type de contenu non pris en charge",
        _ => "Requête invalide",
    };

    static string Join(string at, string field) => at.Length == 0 ? field : at + "." + field;

    /// <summary>"… was missing required properties including: 'active', 'name'." → active, name.</summary>
    static List<string>? MissingMembers(string message)
    {
        const string Marker = "missing required properties including:";
        var start = message.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0) return null;
        var names = message[(start + Marker.Length)..];
        var end = names.IndexOf(". ", StringComparison.Ordinal);
        if (end >= 0) names = names[..end];
        return names.Split(',').Select(n => n.Trim().TrimEnd('.').Trim('\'')).Where(n => n.Length > 0).ToList();
    }

    /// <summary>The field named in the error, as the client sent it: <c>$.slotStart</c> becomes <c>slotStart</c>.</summary>
    static Dictionary<string, string[]>? ErrorsOf(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            var at = json.Path is null or "$" ? "" : json.Path.TrimStart('$', '.');
            if (json is FieldJsonException refused) return new() { [Join(at, refused.Field)] = [refused.Message] };
            if (MissingMembers(json.Message) is { Count: > 0 } missing)
                return missing.ToDictionary(m => Join(at, m), _ => new[] { "Valeur requise." });
            // Our converters' own words (date bounds, NUL) say more than the generic sentence.
            var reason = json.Path is null ? "JSON mal formé."
                : json.Message.StartsWith("The JSON", StringComparison.Ordinal) || json.Message.Contains("Path:", StringComparison.Ordinal)
                    ? (json.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) ? "Propriété en double." : "Valeur de type incorrect ou JSON mal formé.")
                    : json.Message;
            return new() { [at.Length == 0 ? "body" : at] = [reason] };
        }
        // "Failed to bind parameter \"long id\" from \"abc\"." / "Required parameter \"X body\" was not provided from body."
        var message = bad.Message;
        var start = message.IndexOf('"');
        var end = start < 0 ? -1 : message.IndexOf('"', start + 1);
        if (end > start)
        {
            var declared = message[(start + 1)..end];
            var name = declared[(declared.LastIndexOf(' ') + 1)..];
            return new() { [JsonNamingPolicy.CamelCase.ConvertName(name)] = [message] };
        }
        return null;
    }
}
