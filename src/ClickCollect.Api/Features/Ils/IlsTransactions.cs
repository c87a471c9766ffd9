using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Ils;

internal abstract record IlsCheckoutOutcome
{
    /// <summary>The library system lent it; its due date, when it gave one, is the loan's.</summary>
    public sealed record Lent(DateOnly? DueOn) : IlsCheckoutOutcome;

    /// <summary>The library system refuses: the copy is not handed over; <see cref="Reason"/> is shown to staff.</summary>
    public sealed record Refused(string Reason) : IlsCheckoutOutcome;

    /// <summary>Not reachable (or an earlier transaction on the copy still waits): lend here, queue the checkout.</summary>
    public sealed record Queue : IlsCheckoutOutcome;
}

/// <summary>
/// Checkouts and checkins against the library system when <c>Ils:Provider=sip2</c> (issue #13):
/// sent at once when it answers, queued in <see cref="IlsOutboxStore"/> when it does not (or when an
/// earlier transaction on the same copy still waits, so the library system sees them in order), and
/// sent again by <see cref="IlsOutboxWorker"/>.
/// </summary>
internal sealed class IlsTransactions(LibrarySystem ils, IlsOutboxStore outbox, IOptions<IlsOptions> options, IOptions<Sip2Options> sip2,
    ILogger<IlsTransactions> logger)
{
    public bool Enabled => options.Value.IsSip2;

    /// <summary>The longest <paramref name="checkouts"/> checkouts in a row can take: each waits its timeout on every try.</summary>
    public TimeSpan AtMost(int checkouts) => sip2.Value.Timeout * ((sip2.Value.Retries + 1) * Math.Max(1, checkouts));

    public async Task<IlsCheckoutOutcome> CheckoutAsync(string cardNumber, string barcode, CancellationToken ct)
    {
        if (await outbox.HasPendingForAsync(barcode, ct)) return new IlsCheckoutOutcome.Queue();
        try
        {
            var answer = await ils.CheckoutAsync(cardNumber, barcode, ct);
            return answer.Ok
                ? new IlsCheckoutOutcome.Lent(answer.DueOn)
                : new IlsCheckoutOutcome.Refused(string.IsNullOrWhiteSpace(answer.ScreenMessage) ? "Prêt refusé par le système de la bibliothèque." : answer.ScreenMessage.Trim());
        }
        catch (IlsUnavailableException e)
        {
            logger.LogWarning("Checkout of {Barcode} queued: {Reason}", barcode, e.Message);
            return new IlsCheckoutOutcome.Queue();
        }
    }

    /// <summary>
    /// The copy came back (the local loan has ended): tells the library system, or queues the checkin.
    /// Returns the library system's message when it refused, null otherwise.
    /// </summary>
    public async Task<string?> CheckinAsync(string barcode, DateTimeOffset returnedAt, Func<CancellationToken, Task> queue, CancellationToken ct)
    {
        if (!await outbox.HasPendingForAsync(barcode, ct))
        {
            try
            {
                var answer = await ils.CheckinAsync(barcode, returnedAt, ct);
                return answer.Ok ? null : answer.ScreenMessage ?? "Retour refusé par le système de la bibliothèque.";
            }
            catch (IlsUnavailableException e)
            {
                logger.LogWarning("Checkin of {Barcode} queued: {Reason}", barcode, e.Message);
            }
        }
        await queue(ct);
        return null;
    }
}
