using ClickCollect.Api.Infrastructure.Jobs;
using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClickCollect.Tests.Infrastructure.Jobs;

/// <summary>#17 (start-up): the workers' first runs no longer compete with the server's start and its first request.</summary>
public sealed class PeriodicWorkerTests
{
    sealed class Counting(TimeProvider clock, TimeSpan interval, ClickCollectMetrics metrics)
        : PeriodicWorker(clock, NullLogger.Instance, interval, metrics)
    {
        int runs;
        public int Runs => Volatile.Read(ref runs);
        public SemaphoreSlim Ran { get; } = new(0);

        public override Task RunOnceAsync(CancellationToken ct)
        {
            Interlocked.Increment(ref runs);
            Ran.Release();
            return Task.CompletedTask;
        }
    }

    [Theory]
    [InlineData(3600)] // an hourly job: its first run comes FirstRunDelay after the start, not an hour later
    [InlineData(1)]    // an interval shorter than that: the first run comes after one interval
    public async Task The_first_run_waits_a_little_after_the_start(int intervalSeconds)
    {
        await using var app = await TestApp.StartAsync();
        var interval = TimeSpan.FromSeconds(intervalSeconds);
        var worker = new Counting(app.Clock, interval, app.Service<ClickCollectMetrics>());

        await worker.StartAsync(default);
        Assert.False(await worker.Ran.WaitAsync(TimeSpan.FromMilliseconds(300)), "ran at once");

        app.Clock.Advance(interval < PeriodicWorker.FirstRunDelay ? interval : PeriodicWorker.FirstRunDelay);
        Assert.True(await worker.Ran.WaitAsync(TimeSpan.FromSeconds(10)), "did not run once the delay was over");
        await worker.StopAsync(default);
        Assert.Equal(1, worker.Runs);
    }
}
