using System.Threading.RateLimiting;

namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>
/// A fixed window of <c>permits</c> per <c>window</c> on the app's <see cref="TimeProvider"/>. The runtime's
/// FixedWindowRateLimiter reads Stopwatch and cannot be given a clock (dotnet/runtime#106447), so its windows
/// ignore the tests' FakeTimeProvider; this one opens a window at the first request after the last one ended,
/// and a refusal says when the window ends (Retry-After). No queue: a request over the limit is refused at once.
/// </summary>
internal sealed class FixedWindowLimiter(TimeProvider clock, int permits, TimeSpan window) : RateLimiter
{
    readonly Lock gate = new();
    DateTimeOffset windowEnd = DateTimeOffset.MinValue;
    int used;
    long refused;
    long granted;

    /// <summary>Idle once its window is over: the partitioned limiter then drops it, and the next request starts afresh.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            var now = clock.GetUtcNow();
            lock (gate) return now >= windowEnd ? now - windowEnd : null;
        }
    }

    public override RateLimiterStatistics GetStatistics()
    {
        lock (gate)
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = clock.GetUtcNow() >= windowEnd ? permits : permits - used,
                TotalFailedLeases = refused,
                TotalSuccessfulLeases = granted,
            };
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            if (now >= windowEnd)
            {
                windowEnd = now + window;
                used = 0;
            }
            if (permitCount == 0 ? used < permits : used + permitCount <= permits)
            {
                used += permitCount;
                granted++;
                return Lease.Granted;
            }
            refused++;
            return new Lease(false, windowEnd - now);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
