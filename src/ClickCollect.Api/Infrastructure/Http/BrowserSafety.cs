namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>
/// What a browser is told and what it may do to us (#14 item 4):
/// <list type="bullet">
/// <item>response headers: a Content-Security-Policy (the pages load scripts from their own origin
///   only and have no inline scripts), nosniff, no framing, no referrer sent to other sites;</item>
/// <item>a state-changing call authenticated by the page cookie must come from our own pages
///   (Sec-Fetch-Site, else Origin). Bearer tokens are not sent by browsers on their own, so API clients
///   are not concerned;</item>
/// <item>/api refuses the body types a plain HTML form on another site can post (text/plain,
///   urlencoded, multipart): every route reads JSON, CSV or MARC, so an import can never be forged
///   with a form.</item>
/// </list>
/// </summary>
internal static class BrowserSafety
{
    // style-src allows inline style attributes: some pages and server-drawn SVG charts set them; only
    // scripts are held to 'self'.
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    static readonly string[] FormTypes = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"];

    public static Task Apply(HttpContext http, Func<Task> next)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";

        var request = http.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)) return next();

        if (request.Path.StartsWithSegments("/api") && request.ContentType is { } type
            && FormTypes.Any(f => type.StartsWith(f, StringComparison.OrdinalIgnoreCase)))
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Type de contenu non pris en charge",
                "Les formulaires HTML ne sont pas acceptés : envoyez du JSON ou le fichier lui-même (text/csv…).").ExecuteAsync(http);
        }

        var byCookie = request.Cookies.ContainsKey(CookieName) && string.IsNullOrEmpty(request.Headers.Authorization);
        if (byCookie && !SameOrigin(request))
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "cross_site_request", "Requête d'un autre site",
                "Cette action doit venir des pages de ClickCollect.").ExecuteAsync(http);
        }
        return next();
    }

    public const string CookieName = "clickcollect";

    /// <summary>
    /// Sec-Fetch-Site when the browser sends it (all current ones); otherwise Origin; a request with
    /// neither is not from a browser page, which always sends Origin on a POST.
    /// </summary>
    static bool SameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site is "same-origin" or "none";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
               && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
               && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
