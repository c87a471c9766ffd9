using FluentValidation;

namespace ClickCollect.Api.Features.Lockdowns;

internal enum LockdownStatus { Active, Cancelled }

/// <summary>Where a lockdown stands today: not begun, in force, over, or cancelled (never had effect).</summary>
internal enum LockdownState { Scheduled, InForce, Ended, Cancelled }

/// <summary>
/// A lockdown as the director declares it (DESIGN "Public contract"). <c>branchIds</c> absent or empty:
/// the whole network. <c>endsOn</c> absent: open-ended, until ended. Dates inclusive, local.
/// </summary>
/// <param name="ShiftDueDatesDays">Due dates inside the lockdown move to its end + this many days; absent: not moved.</param>
/// <param name="SpreadDueDatesOverDays">Shifted due dates are spread over this many days (default 5) so returns do not all arrive on reopening day.</param>
/// <param name="SlotCapacityCap">Patrons per slot at most while it lasts (new bookings only); absent: no cap.</param>
/// <param name="ExtendPickupDeadlines">Ready holds whose pickup deadline falls inside get a full pickup window after it (default true).</param>
internal sealed record LockdownRequest(IReadOnlyList<long>? BranchIds, DateOnly StartsOn, DateOnly? EndsOn, bool SuspendFines, bool SuspendReminders,
    int? ShiftDueDatesDays = null, int? SpreadDueDatesOverDays = null, int? SlotCapacityCap = null, bool? ExtendPickupDeadlines = null,
    string? Note = null)
{
    public const int DefaultSpreadDays = 5;

    public bool NetworkWide => BranchIds is null || BranchIds.Count == 0;

    public LockdownPeriod ToPeriod(long id) => new(id, StartsOn, EndsOn, NetworkWide ? null : BranchIds!.ToHashSet(),
        SuspendFines, SuspendReminders, ShiftDueDatesDays, SpreadDueDatesOverDays ?? DefaultSpreadDays, SlotCapacityCap,
        ExtendPickupDeadlines ?? true);
}

/// <summary>Ends a lockdown (or moves its end) on <c>endsOn</c>, inclusive.</summary>
internal sealed record EndLockdownRequest(DateOnly EndsOn);

internal sealed class LockdownRequestValidator : AbstractValidator<LockdownRequest>
{
    public LockdownRequestValidator()
    {
        RuleFor(r => r.StartsOn).NotEqual(default(DateOnly)).WithMessage("Indiquez le premier jour du confinement.");
        RuleFor(r => r.EndsOn).GreaterThanOrEqualTo(r => r.StartsOn).When(r => r.EndsOn is not null)
            .WithMessage("La fin ne peut pas précéder le début (les deux jours sont inclus).");
        RuleFor(r => r.ShiftDueDatesDays).InclusiveBetween(0, 180);
        RuleFor(r => r.SpreadDueDatesOverDays).InclusiveBetween(1, 30);
        RuleFor(r => r.SlotCapacityCap).InclusiveBetween(0, 500);
        RuleFor(r => r.Note).MaximumLength(500);
        RuleFor(r => r.BranchIds).Must(ids => ids!.Distinct().Count() == ids!.Count).WithMessage("Une bibliothèque figure deux fois.")
            .Must(ids => ids!.Count <= 100).WithMessage("100 bibliothèques au plus.")
            .When(r => r.BranchIds is not null);
        RuleForEach(r => r.BranchIds).GreaterThan(0);
    }
}

internal sealed class EndLockdownRequestValidator : AbstractValidator<EndLockdownRequest>
{
    public EndLockdownRequestValidator() =>
        RuleFor(r => r.EndsOn).NotEqual(default(DateOnly)).WithMessage("Indiquez le dernier jour du confinement.");
}

internal sealed record LockdownResponse(long Id, LockdownState State, LockdownStatus Status, bool NetworkWide, IReadOnlyList<long>? BranchIds,
    IReadOnlyList<string> BranchNames, DateOnly StartsOn, DateOnly? EndsOn, bool SuspendFines, bool SuspendReminders, int? ShiftDueDatesDays,
    int SpreadDueDatesOverDays, int? SlotCapacityCap, bool ExtendPickupDeadlines, string Note, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The request that would declare this lockdown again (what a move starts from).</summary>
    public LockdownRequest ToRequest() => new(BranchIds, StartsOn, EndsOn, SuspendFines, SuspendReminders, ShiftDueDatesDays,
        SpreadDueDatesOverDays, SlotCapacityCap, ExtendPickupDeadlines, Note);
}

/// <summary>
/// What a lockdown change does, counted before it is confirmed (preview) and after (the answer and the
/// audit trail). The director's page turns these into sentences.
/// </summary>
/// <param name="LoansShifted">Open loans whose due date moves later (or waits for the end of an open-ended lockdown).</param>
/// <param name="LoansHeldUntilEnd">Of <paramref name="LoansShifted"/>, those whose new due date waits for an open-ended lockdown to end.</param>
/// <param name="LoansBroughtForward">Open loans whose due date comes back earlier (a lockdown cancelled, ended earlier or moved).</param>
/// <param name="LoansDueAfterLockdown">Of all open loans, those whose due date waits for an open-ended lockdown to end.</param>
/// <param name="HoldsExtended">Ready holds whose pickup deadline moves later.</param>
/// <param name="HoldsShortened">Ready holds whose pickup deadline comes back earlier.</param>
/// <param name="AppointmentsAboveCap">Booked appointments above the new cap in their slot: they are kept.</param>
/// <param name="SlotsAboveCap">Slots holding more bookings than the new cap.</param>
/// <param name="OverdueLoansRemindersSuspended">Overdue open loans whose reminders are suspended today after the change.</param>
/// <param name="FinesRemovedCents">Fines (all loans, derived today) that the change cancels.</param>
/// <param name="FinesAddedCents">Fines the change brings back (cancelling or shortening a fine suspension).</param>
/// <param name="PatronsWithCredit">Patrons who would have paid more than their recomputed fines (a credit to settle).</param>
internal sealed record LockdownEffects(int LoansShifted, int LoansHeldUntilEnd, int LoansBroughtForward, int LoansDueAfterLockdown, int HoldsExtended, int HoldsShortened,
    int AppointmentsAboveCap, int SlotsAboveCap, int OverdueLoansRemindersSuspended, long FinesRemovedCents, long FinesAddedCents,
    int PatronsWithCredit);

internal sealed record LockdownChangeResponse(LockdownResponse Lockdown, LockdownEffects Effects);

internal sealed record LockdownPreviewResponse(LockdownEffects Effects);

/// <summary>A lockdown in force today, as the patron pages announce it (no staff details).</summary>
internal sealed record CurrentLockdownResponse(long Id, bool NetworkWide, IReadOnlyList<string> BranchNames, DateOnly StartsOn, DateOnly? EndsOn,
    bool SuspendFines, bool SuspendReminders, bool DueDatesShifted, bool PickupDeadlinesExtended, int? SlotCapacityCap);
