using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>
/// Domain refusals, built in one place. Each carries a stable <c>code</c> extension that clients and
/// tests rely on; titles are French, the language of the people reading them.
/// </summary>
internal static class Problems
{
    public static ProblemHttpResult Create(int status, string code, string title, string? detail = null) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    /// <summary>The code of a problem the framework writes, by status.</summary>
    public static string? CodeOf(int? status) => status switch
    {
        StatusCodes.Status400BadRequest => "invalid_request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status413PayloadTooLarge => "body_too_large",
        StatusCodes.Status414UriTooLong => "uri_too_long",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        StatusCodes.Status500InternalServerError => "internal_error",
        _ => null,
    };

    public static ProblemHttpResult NotFound(string what, object id) =>
        Create(StatusCodes.Status404NotFound, "not_found", "Introuvable", $"{what} {id} n'existe pas.");

    public static ProblemHttpResult Conflict(string code, string title, string? detail = null) =>
        Create(StatusCodes.Status409Conflict, code, title, detail);

    public static ProblemHttpResult Field(string field, string message, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Problem(statusCode: status, title: "Requête invalide", detail: message,
            extensions: new Dictionary<string, object?>
            {
                ["code"] = "invalid_request",
                ["errors"] = new Dictionary<string, string[]> { [field] = [message] },
            });

    /// <summary>
    /// 422: an import file has bad lines and nothing was written. <c>rejected</c> lists every line;
    /// <c>errors</c> carries the same reasons keyed <c>rows[line].field</c> like any validation problem.
    /// </summary>
    public static ProblemHttpResult ImportRejected(IReadOnlyList<ImportRejection> rejected)
    {
        var lines = rejected.Select(r => r.Line).Distinct().Count();
        return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Import refusé",
            detail: $"{lines} ligne(s) refusée(s) : rien n'a été importé. Corrigez le fichier et envoyez-le de nouveau.",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = "import_rejected",
                ["rejected"] = rejected,
                ["errors"] = rejected.GroupBy(r => $"rows[{r.Line}].{r.Field}")
                    .ToDictionary(g => g.Key, g => g.Select(r => r.Reason).ToArray()),
            });
    }

    public static ProblemHttpResult SignInFailed() =>
        Create(StatusCodes.Status401Unauthorized, "sign_in_failed", "Identifiants incorrects",
            "Identifiants incorrects, ou trop d'essais : réessayez dans quelques minutes.");

    /// <summary>
    /// A delayed (locked) account answers exactly as a wrong secret or an unknown account (#14): the
    /// answer must not tell an attacker that the card exists.
    /// </summary>
    public static ProblemHttpResult AccountLocked(DateTimeOffset until) => SignInFailed();

    /// <summary>Too many failed sign-ins from this address, whatever the account.</summary>
    public static ProblemHttpResult SignInThrottled(HttpContext http, TimeSpan retryAfter)
    {
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Create(StatusCodes.Status429TooManyRequests, "rate_limited", "Trop d'essais",
            "Trop d'identifications manquées depuis cette adresse : réessayez plus tard.");
    }
}
