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

    /// <summary>Failed sign-ins per client address in 15 minutes, whatever the account (#14).</summary>
    public int SignInFailuresPerAddress { get; set; } = 30;
}

internal static class RateLimiting
{
    public const string SignIn = "sign-in";

    public static void AddClickCollectRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        services.AddSingleton<SignInThrottle>();
        services.AddHttpContextAccessor();
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(SignIn, http => PerMinute(ClientAddress(http), http, limits.SignInPerMinute));
            // A signed-in patron has their own allowance; anonymous calls share their client address's
            // (the real one behind a configured proxy, ReverseProxy). One bot then throttles itself, not
            // every patron behind the same proxy or library network (#14).
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                (CurrentUser.From(http.User), http.Request.Path.StartsWithSegments("/api")) switch
                {
                    (_, false) or ({ IsStaff: true }, _) => RateLimitPartition.GetNoLimiter("unlimited"),
                    ({ IsPatron: true } patron, _) => PerMinute($"patron:{patron.Id}", http, limits.RequestsPerMinute),
                    _ => PerMinute($"address:{ClientAddress(http)}", http, limits.RequestsPerMinute),
                });
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.Create(StatusCodes.Status429TooManyRequests, "rate_limited", "Trop de requêtes",
                    "Trop de requêtes : réessayez dans une minute.").ExecuteAsync(http);
            };
        });
    }

    static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "local";

    /// <summary>A one-minute window per <paramref name="key"/>, on the app's clock (<see cref="FixedWindowLimiter"/>).</summary>
    static RateLimitPartition<string> PerMinute(string key, HttpContext http, int permits) =>
        RateLimitPartition.Get(key, _ =>
            new FixedWindowLimiter(http.RequestServices.GetRequiredService<TimeProvider>(), Math.Max(1, permits), TimeSpan.FromMinutes(1)));
}
