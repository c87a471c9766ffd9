using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Api.Infrastructure.Jobs;

namespace ClickCollect.Api.Features.Holds;

/// <summary>Expires Ready holds left uncollected past their pickup deadline; their copies go to the next in the queue.</summary>
internal sealed class HoldExpiryWorker(HoldStore holds, ClickCollectMetrics metrics, TimeProvider clock, ILogger<HoldExpiryWorker> logger)
    : PeriodicWorker(clock, logger, TimeSpan.FromMinutes(5), metrics)
{
    public override async Task RunOnceAsync(CancellationToken ct)
    {
        var expired = await holds.ExpireDueAsync(Clock.GetUtcNow(), ct);
        if (expired > 0) logger.LogInformation("{Count} holds expired", expired);
    }
}
