using System.Diagnostics;
using ClickCollect.Api.Infrastructure.OpenApi;
using ClickCollect.Api.Infrastructure.Telemetry;

namespace ClickCollect.Api.Infrastructure.Jobs;

/// <summary>
/// A background job run every <paramref name="interval"/> on the app's <see cref="TimeProvider"/>
/// (tests call <see cref="RunOnceAsync"/> directly). Work is claimed in the database with
/// conditional updates, so several app instances may run the same job safely. A failing run is
/// logged and the loop goes on.
/// </summary>
internal abstract class PeriodicWorker(TimeProvider clock, ILogger logger, TimeSpan interval, ClickCollectMetrics metrics) : BackgroundService
{
    protected TimeProvider Clock => clock;
    protected ClickCollectMetrics Metrics => metrics;

    public abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (BuildTime.IsGeneratingOpenApiDocument) return;
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await RunOnceAsync(stoppingToken);
                metrics.JobRun(GetType().Name, ok: true, Stopwatch.GetElapsedTime(started));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                metrics.JobRun(GetType().Name, ok: false, Stopwatch.GetElapsedTime(started));
                logger.LogError(e, "{Worker} failed; it will run again in {Interval}", GetType().Name, interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
