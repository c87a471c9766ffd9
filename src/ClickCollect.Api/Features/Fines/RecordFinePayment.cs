using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Fines;

/// <summary>What became of a payment or waiver: the patron's statement with it, or a refusal.</summary>
internal abstract record FinePaymentResult
{
    public sealed record Recorded(string CardNumber, FinesResponse Statement) : FinePaymentResult;
    public sealed record Refused(ProblemHttpResult Problem) : FinePaymentResult;
}

/// <summary>
/// Recording a payment or a waiver at the counter. The balance is read and the ledger entry written under
/// the patron's lock (and <see cref="LockKeys.Lending"/> held shared, so no lockdown change is under way),
/// so two payments at once cannot both take the same euro; more than the balance is refused; the entry is
/// audited in the same unit of work. Testable without HTTP.
/// </summary>
internal sealed class RecordFinePayment(PatronStore patrons, FinesStore fines, FineLedgerStore ledger, LockdownStore lockdowns,
    AuditStore audit, Db db, TimeProvider clock)
{
    public async Task<FinePaymentResult> RunAsync(string cardNumber, FinePaymentRequest request, CurrentUser who, CancellationToken ct)
    {
        if (await patrons.FindByCardAsync(cardNumber, ct) is not { } patron) return new FinePaymentResult.Refused(Problems.NotFound("La carte", cardNumber));
        var now = clock.GetUtcNow();
        await using var uow = await db.WriteAsync(ct);
        await uow.LockSharedAsync(LockKeys.Lending, ct);
        await uow.LockAsync(LockKeys.Patron(patron.Id), ct);
        var before = FineStatement.Build(patron.CardNumber, await fines.PatronLoansAsync(uow, patron.Id, ct),
            await ledger.EntriesAsync(uow, patron.Id, ct), await fines.ContextAsync(uow, ct), await lockdowns.PeriodsAsync(uow, ct), now);
        if (request.Amount > before.Balance)
        {
            return new FinePaymentResult.Refused(Problems.Conflict("overpayment", "Montant supérieur au solde",
                $"Le solde dû est de {Euros(before.Balance)} : un paiement ou une remise de {Euros(request.Amount)} le rendrait négatif."));
        }
        var note = request.Note?.Trim() ?? "";
        var id = await ledger.InsertAsync(uow, patron.Id, request.Kind, request.Amount, note, who.Id, now, ct);
        await audit.WriteAsync(uow, who, $"fines.{DapperSetup.ToDb(request.Kind)}", "patron", patron.Id,
            new { EntryId = id, patron.CardNumber, request.Amount, request.Kind, Note = note, BalanceBefore = before.Balance }, now, ct);
        await uow.CommitAsync(ct);
        return new FinePaymentResult.Recorded(patron.CardNumber, before with
        {
            Paid = before.Paid + request.Amount,
            Balance = before.Balance - request.Amount,
            Entries = [.. before.Entries, new FineEntryResponse(id, request.Kind, request.Amount, note, now)],
        });
    }

    static string Euros(int cents) => (cents / 100m).ToString("0.00 €", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"));
}
