namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>
/// A person who types or follows a wrong address gets a page, in French and English, with the way back
/// (issue 10 item 8), not the problem document an API client gets. Only a browser navigation is
/// concerned: a GET outside /api and /openapi that asks for HTML. Scripts, styles and API calls keep
/// their RFC 9457 answer from the status code pages.
/// </summary>
internal static class NotFoundPage
{
    public const string File = "not-found.html";

    public static async Task Serve(HttpContext http, Func<Task> next)
    {
        await next();
        if (http.Response.StatusCode != StatusCodes.Status404NotFound || http.Response.HasStarted
            || http.Response.ContentLength is not null || !string.IsNullOrEmpty(http.Response.ContentType) || !IsPageRequest(http.Request))
            return;
        var page = http.RequestServices.GetRequiredService<IWebHostEnvironment>().WebRootFileProvider.GetFileInfo(File);
        if (!page.Exists) return;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        if (HttpMethods.IsHead(http.Request.Method)) return;
        await http.Response.SendFileAsync(page, http.RequestAborted);
    }

    static bool IsPageRequest(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        if (request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi")) return false;
        return request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
    }
}
