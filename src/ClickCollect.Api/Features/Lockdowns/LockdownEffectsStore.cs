using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Fines;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Loans;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure;
using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Lockdowns;

/// <summary>A date moved by a lockdown change: a loan's due date or a hold's pickup deadline. Null: until an open-ended lockdown ends.</summary>
internal sealed record DateChange(long Id, DateOnly? From, DateOnly? To, DateOnly Original);

/// <summary>What a lockdown change will write (dates) and its effects counted for people.</summary>
internal sealed record EffectsPlan(IReadOnlyList<DateChange> Loans, IReadOnlyList<DateChange> Holds, LockdownEffects Summary);

/// <summary>
/// Recomputes what lockdowns do to stored dates, from the original dates and the lockdowns that will be
/// in force: due dates of open loans and pickup deadlines of Ready holds. Because every date is
/// recomputed from its original, creating, moving, ending and cancelling are the same operation, and
/// cancelling gives the originals back. The counts (the preview) are computed by the same code that
/// writes, so what the director confirms is what happens. Slot caps, fine and reminder suspensions
/// are not stored: they are read from the lockdowns when needed.
/// </summary>
internal sealed class LockdownEffectsStore(LockdownStore lockdowns, FinesStore fines, SlotStore slots, LoanStore loanStore, HoldStore holdStore)
{
    sealed class OpenLoan
    {
        public long Id { get; init; }
        public long PatronId { get; init; }
        public long BranchId { get; init; }
        public DateOnly OriginalDueOn { get; init; }
        public DateOnly? DueOn { get; init; }
    }

    sealed class ReadyHold
    {
        public long Id { get; init; }
        public long PickupPointId { get; init; }
        public long BranchId { get; init; }
        public DateOnly? PickupDeadline { get; init; }
        public DateOnly? OriginalPickupDeadline { get; init; }
    }

    sealed class BookedSlot
    {
        public long PickupPointId { get; init; }
        public DateTimeOffset SlotStart { get; init; }
        public long Booked { get; init; }
        public long BranchId { get; init; }
        public string TimeZone { get; init; } = "";
    }

    sealed class Paid { public long PatronId { get; init; } public long Cents { get; init; } }

    const string OpenLoansSql = """
        select l.id, l.patron_id, c.branch_id, l.original_due_on, l.due_on
        from loans l join copies c on c.id = l.copy_id
        where l.returned_on is null
        """;
    static string ReadyHoldsSql(long? holdId) => $"""
        select h.id, h.pickup_point_id, pb.branch_id, h.pickup_deadline, h.original_pickup_deadline
        from holds h join pickup_point_branches pb on pb.pickup_point_id = h.pickup_point_id
        {new SqlWhere().And("h.status = 'ready'").And(holdId is not null, "h.id = @HoldId")}
        """;
    const string BookedSlotsSql = $"""
        select a.pickup_point_id, a.slot_start, count(*) as booked, pb.branch_id, b.time_zone
        from appointments a
        join pickup_point_branches pb on pb.pickup_point_id = a.pickup_point_id
        join branches b on b.id = pb.branch_id
        where a.status in {AppointmentStatuses.TakingPlaceSql} and a.slot_start >= @Now
        group by a.pickup_point_id, a.slot_start, pb.branch_id, b.time_zone
        """;
    const string PaidSql = "select patron_id, sum(amount_cents) as cents from fine_ledger group by patron_id";

    /// <summary>
    /// What replacing the lockdowns <paramref name="before"/> by <paramref name="after"/> does. Reads only:
    /// a preview is this and a rollback. Call it under <see cref="LockKeys.Lending"/> held exclusively.
    /// </summary>
    public async Task<EffectsPlan> PlanAsync(UnitOfWork uow, IReadOnlyList<LockdownPeriod> before, IReadOnlyList<LockdownPeriod> after,
        DateTimeOffset now, CancellationToken ct)
    {
        var context = await fines.ContextAsync(uow, ct);

        var loans = new List<DateChange>();
        int pending = 0, remindersSuspended = 0;
        foreach (var loan in await uow.QueryAsync<OpenLoan>(OpenLoansSql, null, ct))
        {
            var periods = after.For(loan.BranchId);
            var due = LockdownRules.ShiftDueDate(loan.OriginalDueOn, periods, loan.PatronId);
            if (due is null) pending++;
            var today = context.Today(loan.BranchId, now);
            if (due < today && LockdownRules.SuspendsReminders(today, periods)) remindersSuspended++;
            if (due != loan.DueOn) loans.Add(new DateChange(loan.Id, loan.DueOn, due, loan.OriginalDueOn));
        }

        var holds = await HoldChangesAsync(uow, after, null, ct);

        int appointmentsAboveCap = 0, slotsAboveCap = 0;
        foreach (var slot in await uow.QueryAsync<BookedSlot>(BookedSlotsSql, new { Now = now }, ct))
        {
            var date = SlotCalculator.LocalDate(slot.SlotStart, TimeZoneInfo.FindSystemTimeZoneById(slot.TimeZone));
            if (LockdownRules.CapacityCap(date, after.For(slot.BranchId)) is not { } cap || slot.Booked <= cap) continue;
            appointmentsAboveCap += (int)slot.Booked - cap;
            slotsAboveCap++;
        }

        // Fines are derived: compare every possibly late loan's fine under both sets of lockdowns.
        long removed = 0, added = 0;
        var totals = new Dictionary<long, (long Before, long After)>();
        foreach (var loan in await fines.LateLoansAsync(uow, DateOnly.FromDateTime(now.UtcDateTime).AddDays(1), ct))
        {
            long was = context.Compute(loan, before, now).AmountCents, will = context.Compute(loan, after, now).AmountCents;
            if (will < was) removed += was - will;
            else added += will - was;
            var t = totals.GetValueOrDefault(loan.PatronId);
            totals[loan.PatronId] = (t.Before + was, t.After + will);
        }
        var credit = 0;
        foreach (var paid in await uow.QueryAsync<Paid>(PaidSql, null, ct))
        {
            var t = totals.GetValueOrDefault(paid.PatronId);
            if (paid.Cents > t.After && paid.Cents <= t.Before) credit++;
        }

        var summary = new LockdownEffects(
            LoansShifted: loans.Count(c => Later(c.To, c.From)), LoansHeldUntilEnd: loans.Count(c => c.To is null),
            LoansBroughtForward: loans.Count(c => Later(c.From, c.To)),
            LoansDueAfterLockdown: pending,
            HoldsExtended: holds.Count(c => Later(c.To, c.From)), HoldsShortened: holds.Count(c => Later(c.From, c.To)),
            AppointmentsAboveCap: appointmentsAboveCap, SlotsAboveCap: slotsAboveCap, OverdueLoansRemindersSuspended: remindersSuspended,
            FinesRemovedCents: removed, FinesAddedCents: added, PatronsWithCredit: credit);
        return new EffectsPlan(loans, holds, summary);
    }

    /// <summary>True when <paramref name="a"/> is later than <paramref name="b"/>; null is "after an open-ended lockdown", the latest.</summary>
    static bool Later(DateOnly? a, DateOnly? b) => (a, b) switch
    {
        (null, null) => false,
        (null, _) => true,
        (_, null) => false,
        var (x, y) => x > y,
    };

    /// <summary>
    /// Writes the planned dates through their owners (Loans, Holds). A date back at its original forgets the
    /// original (nothing left to roll back).
    /// </summary>
    public async Task ApplyAsync(UnitOfWork uow, EffectsPlan plan, DateTimeOffset now, CancellationToken ct)
    {
        await loanStore.SetDueDatesAsync(uow, plan.Loans.Select(c => (c.Id, c.To)), now, ct);
        foreach (var c in plan.Holds) await WriteHoldAsync(uow, c, now, ct);
    }

    Task WriteHoldAsync(UnitOfWork uow, DateChange c, DateTimeOffset now, CancellationToken ct) =>
        holdStore.SetPickupDeadlineAsync(uow, c.Id, c.To, c.To == c.Original ? null : c.Original, now, ct);

    /// <summary>
    /// A hold just made Ready gets the extension the lockdowns in force give it. Call it in the unit of work
    /// that made it Ready, which must have taken <see cref="LockKeys.Lending"/> shared before updating the hold.
    /// </summary>
    public async Task ApplyToHoldAsync(UnitOfWork uow, long holdId, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var c in await HoldChangesAsync(uow, await lockdowns.PeriodsAsync(uow, ct), holdId, ct))
            await WriteHoldAsync(uow, c, now, ct);
    }

    async Task<List<DateChange>> HoldChangesAsync(UnitOfWork uow, IReadOnlyList<LockdownPeriod> after, long? holdId, CancellationToken ct)
    {
        var changes = new List<DateChange>();
        var calendars = new Dictionary<long, PickupCalendar?>();
        foreach (var hold in await uow.QueryAsync<ReadyHold>(ReadyHoldsSql(holdId), new { HoldId = holdId }, ct))
        {
            if ((hold.OriginalPickupDeadline ?? hold.PickupDeadline) is not { } original) continue;
            var periods = after.For(hold.BranchId);
            if (hold.OriginalPickupDeadline is null && !periods.Any(p => p.ExtendPickupDeadlines && p.StartsOn <= original))
                continue; // nothing to extend and nothing to roll back: no calendar needed
            if (!calendars.TryGetValue(hold.PickupPointId, out var calendar))
                calendars[hold.PickupPointId] = calendar = await slots.LoadAsync(hold.PickupPointId, ct);
            // A full pickup window after the lockdown, counted in the pickup point's open days.
            var deadline = LockdownRules.ExtendPickupDeadline(original, periods,
                end => calendar?.PickupDeadline(end) ?? end.AddDaysSaturating(calendar?.PickupOpenDays ?? 5));
            if (deadline != hold.PickupDeadline) changes.Add(new DateChange(hold.Id, hold.PickupDeadline, deadline, original));
        }
        return changes;
    }
}
