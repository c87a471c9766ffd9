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

    /// <summary>
    /// How long after the start the first run waits (or one interval, when that is shorter). Run at once, the nine
    /// workers' first runs (their queries planned, their code compiled) took about 7 % of the start-up's CPU and ran
    /// on the two cores beside the server's own start and its first request (dotnet-trace, #17). A due job done a few
    /// seconds after a restart loses nothing: each run picks up everything due since the last one.
    /// </summary>
    internal static readonly TimeSpan FirstRunDelay = TimeSpan.FromSeconds(5);

    public abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (BuildTime.IsGeneratingOpenApiDocument) return;
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            if (interval <= FirstRunDelay) { if (!await timer.WaitForNextTickAsync(stoppingToken)) return; }
            else await Task.Delay(FirstRunDelay, clock, stoppingToken);
        }
        catch (OperationCanceledException) { return; } // stopped before the first run
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
