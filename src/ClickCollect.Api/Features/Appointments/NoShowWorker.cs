using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Api.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Appointments;

/// <summary>Marks appointments not completed by their slot's end plus grace as no-shows; their holds stay Ready until the deadline.</summary>
internal sealed class NoShowWorker(AppointmentStore store, IOptions<AppointmentOptions> options, ClickCollectMetrics metrics, TimeProvider clock, ILogger<NoShowWorker> logger)
    : PeriodicWorker(clock, logger, TimeSpan.FromMinutes(5), metrics)
{
    public override async Task RunOnceAsync(CancellationToken ct)
    {
        var marked = await store.MarkNoShowsAsync(Clock.GetUtcNow(), options.Value.NoShowGrace, ct);
        if (marked > 0) logger.LogInformation("{Count} appointments marked no-show", marked);
    }
}
