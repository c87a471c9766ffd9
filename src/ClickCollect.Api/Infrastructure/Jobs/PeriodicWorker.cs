using ClickCollect.Api.Infrastructure.OpenApi;

namespace ClickCollect.Api.Infrastructure.Jobs;

/// <summary>
/// A background job run every <paramref name="interval"/> on the app's <see cref="TimeProvider"/>
/// (tests call <see cref="RunOnceAsync"/> directly). Work is claimed in the database with
/// conditional updates, so several app instances may run the same job safely. A failing run is
/// logged and the loop goes on.
/// </summary>
internal abstract class PeriodicWorker(TimeProvider clock, ILogger logger, TimeSpan interval) : BackgroundService
{
    protected TimeProvider Clock => clock;

    public abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (BuildTime.IsGeneratingOpenApiDocument) return;
        using var timer = new PeriodicTimer(interval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "{Worker} failed; it will run again in {Interval}", GetType().Name, interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
