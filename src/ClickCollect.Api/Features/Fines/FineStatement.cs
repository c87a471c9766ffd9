using ClickCollect.Api.Features.Lockdowns;
using FluentValidation;

namespace ClickCollect.Api.Features.Fines;

/// <param name="Amount">The loan's fine in cents.</param>
/// <param name="OverdueDays">Late days that count (lockdown-suspended and closed days excluded), grace included.</param>
/// <param name="ChargedDays">Overdue days past the grace period.</param>
internal sealed record FineLine(long LoanId, string Barcode, string Title, int OverdueDays, int ChargedDays, int Amount,
    DateOnly OriginalDueOn, DateOnly? DueOn, DateOnly? ReturnedOn);

internal sealed record FineEntryResponse(long Id, FineEntryKind Kind, int Amount, string Note, DateTimeOffset CreatedAt);

/// <summary>
/// A patron's fines (DESIGN "Public contract": <c>{total, lines}</c>), amounts in cents. <c>balance</c> is
/// what is still owed; when payments exceed the fines (a lockdown recorded after a payment) the excess is
/// <c>credit</c>, shown, never folded silently into a negative balance.
/// </summary>
internal sealed record FinesResponse(string CardNumber, int Total, int Paid, int Balance, int Credit, IReadOnlyList<FineLine> Lines,
    IReadOnlyList<FineEntryResponse> Entries);

/// <summary>A payment or a waiver, in cents.</summary>
internal sealed record FinePaymentRequest(int Amount, FineEntryKind Kind, string? Note);

internal sealed class FinePaymentRequestValidator : AbstractValidator<FinePaymentRequest>
{
    public FinePaymentRequestValidator()
    {
        RuleFor(r => r.Amount).GreaterThan(0).WithMessage("Le montant, en centimes, doit être positif.")
            .LessThanOrEqualTo(1_000_000);
        RuleFor(r => r.Kind).IsInEnum();
        RuleFor(r => r.Note).MaximumLength(500);
        RuleFor(r => r.Note).NotEmpty().When(r => r.Kind == FineEntryKind.Waiver)
            .WithMessage("Indiquez pourquoi l'amende est levée.");
    }
}

internal static class FineStatement
{
    /// <summary>The statement of <paramref name="loans"/> (one patron's) today, under the lockdowns, less the ledger.</summary>
    public static FinesResponse Build(string cardNumber, IReadOnlyList<FineLoan> loans, IReadOnlyList<FineEntry> entries, FineContext context,
        IReadOnlyList<LockdownPeriod> lockdowns, DateTimeOffset now)
    {
        var lines = loans
            .Select(l => (Loan: l, Fine: context.Compute(l, lockdowns, now)))
            .Where(x => x.Fine.OverdueDays > 0)
            .Select(x => new FineLine(x.Loan.Id, x.Loan.Barcode, x.Loan.Title, x.Fine.OverdueDays, x.Fine.ChargedDays, x.Fine.AmountCents,
                x.Loan.OriginalDueOn, x.Fine.DueOn, x.Loan.ReturnedOn))
            .ToList();
        var total = lines.Sum(l => l.Amount);
        var paid = entries.Sum(e => e.AmountCents);
        return new FinesResponse(cardNumber, total, paid, Math.Max(0, total - paid), Math.Max(0, paid - total), lines,
            entries.Select(e => new FineEntryResponse(e.Id, e.Kind, e.AmountCents, e.Note, e.CreatedAt)).ToList());
    }
}
