using ClickCollect.Api.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Ils;

/// <summary>
/// Sends the queued checkouts and checkins to the library system, oldest first, and stops at the first
/// one it still cannot reach so that the order is kept. A refusal (ok 0) is an answer: it is recorded
/// with the library system's message for staff to see, and the next transaction goes.
/// </summary>
internal sealed class IlsOutboxWorker(IlsOutboxStore outbox, LibrarySystem ils, IOptions<IlsOptions> options, TimeProvider clock,
    ILogger<IlsOutboxWorker> logger) : PeriodicWorker(clock, logger, options.Value.OutboxInterval)
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.RunInBackground && options.Value.IsSip2 ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    // REVIEW: with several instances on PostgreSQL, two workers could send the same row; SIP2 checkouts and
    // checkins are idempotent enough (a second checkout to the same patron is a renewal), but a claim would be cleaner.
    public override async Task RunOnceAsync(CancellationToken ct)
    {
        if (!options.Value.IsSip2) return;
        foreach (var row in await outbox.PendingAsync(100, ct))
        {
            try
            {
                var (ok, message) = row.Kind == "checkout"
                    ? await CheckoutAsync(row, ct)
                    : await CheckinAsync(row, ct);
                await outbox.AnsweredAsync(row.Id, !ok, message, Clock.GetUtcNow(), ct);
            }
            catch (IlsUnavailableException e)
            {
                await outbox.FailedAsync(row.Id, e.Message, ct);
                return;
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
