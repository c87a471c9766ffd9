using System.Threading.RateLimiting;
using ClickCollect.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.RateLimiting;

namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>Limits per client address (DESIGN.md "Running"): bots once posted 700 comments in a burst.</summary>
internal sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sign-in attempts per client address per minute.</summary>
    public int SignInPerMinute { get; set; } = 60;

    /// <summary>Anonymous and patron /api calls per client address per minute. Staff are not limited.</summary>
    public int RequestsPerMinute { get; set; } = 600;
}

internal static class RateLimiting
{
    public const string SignIn = "sign-in";

    public static void AddClickCollectRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(SignIn, http => RateLimitPartition.GetFixedWindowLimiter(
                ClientAddress(http), _ => PerMinute(limits.SignInPerMinute)));
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                !http.Request.Path.StartsWithSegments("/api") || CurrentUser.From(http.User)?.IsStaff == true
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetFixedWindowLimiter(ClientAddress(http), _ => PerMinute(limits.RequestsPerMinute)));
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.Create(StatusCodes.Status429TooManyRequests, "rate_limited", "Trop de requêtes",
                    "Trop de requêtes depuis cette adresse : réessayez dans une minute.").ExecuteAsync(http);
            };
        });
    }

    static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "local";

    static FixedWindowRateLimiterOptions PerMinute(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits),
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };
}
