using System.Text.Json;

namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>
/// Checks at the edge what no handler should have to think about (#14); request bodies get the same
/// rules from <see cref="StrictJson"/>:
/// <list type="bullet">
/// <item>NUL characters in the path, the query or a form field are refused with a 400 naming the field
///   (PostgreSQL cannot store them and answered 500; nothing legitimate carries one);</item>
/// <item>dates and instants bound from the route or the query (<c>/pick-lists/1/0001-01-01</c>) lie
///   within <see cref="DateBounds"/>, like those in bodies.</item>
/// </list>
/// </summary>
internal static class InputEdge
{
    /// <summary>The longest path and query answered (a longer one is a 414 problem).</summary>
    public const int MaxTarget = 8 * 1024;

    /// <summary>
    /// Kestrel answers its own 400/414/431 with an empty body before any middleware runs. Its request-line
    /// limit is raised well above <see cref="MaxTarget"/> (ClickCollectApp), so the usual overlong
    /// URLs reach this check and get a problem body; only absurd ones still meet Kestrel's bare answer.
    /// </summary>
    public static void RaiseKestrelLimits(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerLimits limits) =>
        limits.MaxRequestLineSize = 8 * MaxTarget;

    /// <summary>Middleware: an overlong target → 414; NUL in the path, a query value or an urlencoded form field → 400.</summary>
    public static async Task RefuseNul(HttpContext http, Func<Task> next)
    {
        var request = http.Request;
        if ((request.Path.Value?.Length ?? 0) + request.QueryString.Value?.Length > MaxTarget)
        {
            await Problems.Create(StatusCodes.Status414UriTooLong, "uri_too_long", "Adresse trop longue",
                $"Le chemin et la requête dépassent {MaxTarget / 1024} Kio.").ExecuteAsync(http);
            return;
        }
        string? field = null;
        if ((request.Path.Value ?? "").Contains('\0')) field = "path";
        else
        {
            foreach (var (key, values) in request.Query)
                if (key.Contains('\0') || values.Any(v => v?.Contains('\0') == true)) { field = key.Replace("\0", "", StringComparison.Ordinal); break; }
        }
        if (field is null && request.HasFormContentType)
        {
            try
            {
                var form = await request.ReadFormAsync(http.RequestAborted);
                foreach (var (key, values) in form)
                    if (key.Contains('\0') || values.Any(v => v?.Contains('\0') == true)) { field = key.Replace("\0", "", StringComparison.Ordinal); break; }
            }
            catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
            {
                await Problems.Field("body", "Formulaire mal formé.").ExecuteAsync(http);
                return;
            }
        }
        if (field is not null)
        {
            await Problems.Field(field.Length == 0 ? "query" : field, "Caractère NUL refusé.").ExecuteAsync(http);
            return;
        }
        await next();
    }

    /// <summary>Endpoint filter factory for the /api group: date and instant arguments within <see cref="DateBounds"/>.</summary>
    public static EndpointFilterDelegate BoundDates(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var dated = context.MethodInfo.GetParameters()
            .Select((p, i) => (Parameter: p, Index: i))
            .Where(x => IsDate(x.Parameter.ParameterType))
            .ToArray();
        if (dated.Length == 0) return invocation => next(invocation);
        return async invocation =>
        {
            foreach (var (parameter, index) in dated)
            {
                var ok = invocation.Arguments[index] switch
                {
                    DateOnly d => DateBounds.Contains(d),
                    DateTimeOffset t => DateBounds.Contains(t),
                    DateTime t => DateBounds.Contains(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))),
                    _ => true,
                };
                if (!ok) return Problems.Field(JsonNamingPolicy.CamelCase.ConvertName(parameter.Name ?? "date"), DateBounds.Message);
            }
            return await next(invocation);
        };
    }

    static bool IsDate(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(DateOnly) || t == typeof(DateTimeOffset) || t == typeof(DateTime);
    }
}
