using Microsoft.AspNetCore.Http.Features;

namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>The largest request body a route accepts; routes without it accept <see cref="Default"/>.</summary>
internal sealed record BodyLimit(long Bytes)
{
    public const long Default = 1024 * 1024;

    /// <summary>
    /// Answers 413 before the handler runs when the declared length is too large, and caps the
    /// server's own limit for bodies sent without a length (chunked).
    /// </summary>
    public static Task Enforce(HttpContext http, Func<Task> next)
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<BodyLimit>()?.Bytes ?? Default;
        var feature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
        if (http.Request.ContentLength > limit)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "body_too_large", "Contenu trop volumineux",
                $"Le corps de la requête dépasse {limit / 1024} Kio.").ExecuteAsync(http);
        }
        return next();
    }
}

internal static class BodyLimitExtensions
{
    public static RouteHandlerBuilder WithBodyLimit(this RouteHandlerBuilder builder, long bytes) =>
        builder.WithMetadata(new BodyLimit(bytes));
}
