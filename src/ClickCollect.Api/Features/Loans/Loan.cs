using FluentValidation;

namespace ClickCollect.Api.Features.Loans;

/// <summary>Where a loan came from: the library system's import, or a hand-over at a ClickCollect counter.</summary>
internal enum LoanSource { Import, Counter }

internal sealed class LoanRow
{
    public long Id { get; init; }
    public long PatronId { get; init; }
    public string CardNumber { get; init; } = "";
    public long CopyId { get; init; }
    public string Barcode { get; init; } = "";
    public long TitleId { get; init; }
    public string Title { get; init; } = "";
    public long BranchId { get; init; }
    public DateOnly LoanedOn { get; init; }
    public DateOnly OriginalDueOn { get; init; }
    public DateOnly? DueOn { get; init; }
    public DateOnly? ReturnedOn { get; init; }
    public LoanSource Source { get; init; }

    public LoanResponse ToResponse(int overdueDays, int fineAmountCents) => new(Id, CardNumber, CopyId, Barcode, TitleId, Title, BranchId,
        LoanedOn, DueOn, OriginalDueOn, DueOn is null && ReturnedOn is null, ReturnedOn, Source, overdueDays, fineAmountCents);
}

/// <param name="DueOn">The due date the patron is given, after lockdown shifts; null while an open-ended lockdown holds it.</param>
/// <param name="OriginalDueOn">The due date before any lockdown.</param>
/// <param name="DueAfterLockdown">True while the due date waits for an open-ended lockdown to end.</param>
/// <param name="FineAmount">The loan's fine today, in cents (derived).</param>
internal sealed record LoanResponse(long Id, string PatronCardNumber, long CopyId, string Barcode, long TitleId, string Title, long BranchId,
    DateOnly LoanedOn, DateOnly? DueOn, DateOnly OriginalDueOn, bool DueAfterLockdown, DateOnly? ReturnedOn, LoanSource Source,
    int OverdueDays, int FineAmount);

/// <summary>A loan made by <see cref="LoanStore.CreateAsync"/>.</summary>
internal sealed record CreatedLoan(long Id, DateOnly OriginalDueOn, DateOnly? DueOn);

/// <summary>A copy scanned back at the counter.</summary>
internal sealed record ReturnRequest(string Barcode);

internal sealed class ReturnRequestValidator : AbstractValidator<ReturnRequest>
{
    public ReturnRequestValidator() =>
        RuleFor(r => r.Barcode).NotEmpty().WithMessage("Scannez ou saisissez le code-barres.").MaximumLength(64);
}

/// <param name="Loan">The loan now returned; null when the copy was marked on loan by the catalogue without a loan here.</param>
/// <param name="CopyStatus">Where the copy goes now: onShelf, or held / inTransit for the next hold in the queue.</param>
/// <param name="NextHoldId">The hold the copy now serves, if any: put it aside for that patron.</param>
/// <param name="LibrarySystemMessage">The library system's refusal of the checkin (Ils:Provider=sip2), for staff to read.</param>
internal sealed record ReturnResponse(string Barcode, string Title, LoanResponse? Loan, string CopyStatus, long? NextHoldId,
    string? LibrarySystemMessage = null);

/// <summary>What an import did. When <c>rejected</c> is not empty nothing was written.</summary>
/// <param name="DueDatesShifted">Imported loans whose due date a lockdown moves (the original is kept).</param>
internal sealed record LoanImportReport(int Read, int Created, int Updated, int Unchanged, int DueDatesShifted,
    IReadOnlyList<Infrastructure.Http.ImportRejection> Rejected);
