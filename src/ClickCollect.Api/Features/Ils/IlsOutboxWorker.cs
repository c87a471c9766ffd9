using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Api.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Ils;

/// <summary>
/// Sends the queued checkouts and checkins to the library system, oldest first, and stops at the first
/// one it still cannot reach so that the order is kept. A refusal (ok 0) is an answer: it is recorded
/// with the library system's message for staff to see, and the next transaction goes.
/// </summary>
internal sealed class IlsOutboxWorker(IlsOutboxStore outbox, LibrarySystem ils, IOptions<IlsOptions> options, ClickCollectMetrics metrics, TimeProvider clock,
    ILogger<IlsOutboxWorker> logger) : PeriodicWorker(clock, logger, options.Value.OutboxInterval, metrics)
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.RunInBackground && options.Value.IsSip2 ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    /// <summary>This instance's name in <c>ils_outbox.claimed_by</c>.</summary>
    readonly string me = $"{Environment.MachineName}:{Guid.NewGuid():N}";

    const int Batch = 20;

    /// <summary>
    /// Claims the oldest unsent transaction of each copy (a lease, so several instances never send the
    /// same one: <see cref="IlsOutboxStore.ClaimAsync"/>), sends them oldest first, and claims again
    /// (a copy's next transaction becomes claimable once the one before it is answered) until nothing
    /// is left or the library system stops answering; what was claimed and not sent is given back.
    /// After a crash mid-send, the lease runs out and another instance sends the transaction again.
    /// </summary>
    public override async Task RunOnceAsync(CancellationToken ct)
    {
        if (!options.Value.IsSip2) return;
        while (await outbox.ClaimAsync(me, Batch, Clock.GetUtcNow(), options.Value.OutboxLease, ct) is { Count: > 0 } rows)
        {
            foreach (var row in rows)
            {
                try
                {
                    var (ok, message) = row.Kind == "checkout"
                        ? await CheckoutAsync(row, ct)
                        : await CheckinAsync(row, ct);
                    await outbox.AnsweredAsync(me, row.Id, !ok, message, Clock.GetUtcNow(), ct);
                }
                catch (IlsUnavailableException e)
                {
                    await outbox.FailedAsync(me, row.Id, e.Message, ct);
                    await outbox.ReleaseAsync(me, ct);
                    return;
                }
            }
        }
    }

    async Task<(bool, string?)> CheckoutAsync(IlsOutboxRow row, CancellationToken ct)
    {
        var answer = await ils.CheckoutAsync(row.CardNumber ?? "", row.Barcode, ct);
        return (answer.Ok, answer.ScreenMessage);
    }

    async Task<(bool, string?)> CheckinAsync(IlsOutboxRow row, CancellationToken ct)
    {
        var answer = await ils.CheckinAsync(row.Barcode, row.OccurredAt, ct);
        return (answer.Ok, answer.ScreenMessage);
    }
}
