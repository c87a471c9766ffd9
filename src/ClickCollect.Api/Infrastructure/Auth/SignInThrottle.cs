using System.Threading.RateLimiting;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Infrastructure.Auth;

/// <summary>
/// Failed sign-ins per client address, whatever the account (#14): trying one PIN on many cards is
/// throttled even though no single card reaches its own limit. A sliding window, in memory.
/// REVIEW: per instance; with several instances behind a balancer an attacker gets one window per
/// instance. A table would share it.
/// </summary>
internal sealed class SignInThrottle(IOptions<RateLimitOptions> options) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    readonly PartitionedRateLimiter<string> failures = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetSlidingWindowLimiter(address, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.Value.SignInFailuresPerAddress),
            Window = Window,
            SegmentsPerWindow = 15,
            QueueLimit = 0,
        }));

    public static string AddressOf(HttpContext? http) => http?.Connection.RemoteIpAddress?.ToString() ?? "local";

    /// <summary>How long to wait when <paramref name="address"/> has used up its failures, else null.</summary>
    public TimeSpan? Blocked(string address)
    {
        using var lease = failures.AttemptAcquire(address, 0);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromMinutes(1);
    }

    public void Failed(string address) => failures.AttemptAcquire(address, 1).Dispose();

    public void Dispose() => failures.Dispose();
}
