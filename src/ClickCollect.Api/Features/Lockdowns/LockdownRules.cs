using ClickCollect.Api.Infrastructure;

namespace ClickCollect.Api.Features.Lockdowns;

/// <summary>Local dates from <see cref="Start"/> to <see cref="End"/>, both inclusive; no end: open-ended.</summary>
internal readonly record struct DateRange(DateOnly Start, DateOnly? End)
{
    public bool Covers(DateOnly date) => Start <= date && (End is null || date <= End);
}

/// <summary>
/// A lockdown as the rules see it. <see cref="BranchIds"/> null: the whole network. Dates are the
/// branch's local dates, both inclusive (DESIGN "Fines, reminders and lockdowns").
/// </summary>
internal sealed record LockdownPeriod(long Id, DateOnly StartsOn, DateOnly? EndsOn, IReadOnlyCollection<long>? BranchIds,
    bool SuspendFines, bool SuspendReminders, int? ShiftDueDatesDays, int SpreadDays, int? SlotCapacityCap, bool ExtendPickupDeadlines)
{
    public DateRange Range => new(StartsOn, EndsOn);

    public bool AppliesTo(long branchId) => BranchIds is null || BranchIds.Contains(branchId);

    public bool Covers(DateOnly date) => Range.Covers(date);
}

/// <summary>
/// What lockdowns do to due dates, pickup deadlines, slot capacity and reminders. Pure: the periods
/// in force for one branch and the dates come in, nothing is read or written, no clock.
/// </summary>
internal static class LockdownRules
{
    /// <summary>The periods that apply to <paramref name="branchId"/>.</summary>
    public static IReadOnlyList<LockdownPeriod> For(this IEnumerable<LockdownPeriod> periods, long branchId) =>
        periods.Where(p => p.AppliesTo(branchId)).ToList();

    /// <summary>
    /// The due date a patron is given for a loan originally due on <paramref name="originalDueOn"/>: a date
    /// inside a shifting lockdown moves to its end + N days + the patron's spread (<see cref="Spread"/>);
    /// null while an open-ended lockdown holds it (it is known when that lockdown ends).
    /// </summary>
    /// <remarks>
    /// A moved date that lands in a later lockdown moves again. The step is "every shifting lockdown
    /// that started on or before the current date, and did not end before the original date, pushes the
    /// date to at least its end + N + spread", repeated until nothing moves. That step only grows with
    /// the date and with the set of lockdowns, so adding a lockdown can never bring a due date earlier,
    /// and recording the same lockdown twice changes nothing (FineCalculatorProperties checks both).
    /// </remarks>
    public static DateOnly? ShiftDueDate(DateOnly originalDueOn, IEnumerable<LockdownPeriod> periods, long patronId) =>
        Push(originalDueOn, periods.Where(p => p.ShiftDueDatesDays is not null),
            p => p.EndsOn!.Value.AddDaysSaturating((long)p.ShiftDueDatesDays!.Value + Spread(patronId, p.SpreadDays)));

    /// <summary>
    /// The pickup deadline of a Ready hold originally due by <paramref name="originalDeadline"/>: a deadline
    /// inside an extending lockdown moves to <paramref name="deadlineAfter"/>(its end), a full pickup
    /// window after it; null while an open-ended lockdown holds it. Same fixpoint as due dates.
    /// </summary>
    public static DateOnly? ExtendPickupDeadline(DateOnly originalDeadline, IEnumerable<LockdownPeriod> periods, Func<DateOnly, DateOnly> deadlineAfter) =>
        Push(originalDeadline, periods.Where(p => p.ExtendPickupDeadlines), p => deadlineAfter(p.EndsOn!.Value));

    static DateOnly? Push(DateOnly original, IEnumerable<LockdownPeriod> candidates, Func<LockdownPeriod, DateOnly> target)
    {
        // Lockdowns that ended before the original date never concern it.
        var concerned = candidates.Where(p => p.EndsOn is null || original <= p.EndsOn).ToList();
        var date = original;
        while (true)
        {
            var next = date;
            foreach (var p in concerned.Where(p => p.StartsOn <= date))
            {
                if (p.EndsOn is null) return null;
                var moved = target(p);
                if (moved > next) next = moved;
            }
            if (next == date) return date;
            date = next;
        }
    }

    /// <summary>
    /// Spreads returns over <paramref name="days"/> days (0 … days-1) so they do not all arrive on reopening
    /// day. Keyed on the patron: all of one patron's loans move to the same day, one trip. Stable across
    /// processes (not string.GetHashCode), so a recomputation never moves a date for nothing.
    /// </summary>
    public static int Spread(long patronId, int days)
    {
        if (days <= 1) return 0;
        var mixed = unchecked((ulong)patronId * 0x9E3779B97F4A7C15UL) >> 33;
        return (int)(mixed % (ulong)days);
    }

    /// <summary>The capacity cap on <paramref name="date"/>: the lowest cap among the periods covering it, or null.</summary>
    public static int? CapacityCap(DateOnly date, IEnumerable<LockdownPeriod> periods) =>
        periods.Where(p => p.SlotCapacityCap is not null && p.Covers(date)).Min(p => p.SlotCapacityCap);

    /// <summary>The capacity of a slot on <paramref name="date"/> once lockdown caps apply.</summary>
    public static int CappedCapacity(int capacity, DateOnly date, IEnumerable<LockdownPeriod> periods) =>
        CapacityCap(date, periods) is { } cap ? Math.Min(capacity, cap) : capacity;

    /// <summary>True when a lockdown suspends reminders on <paramref name="date"/>.</summary>
    public static bool SuspendsReminders(DateOnly date, IEnumerable<LockdownPeriod> periods) =>
        periods.Any(p => p.SuspendReminders && p.Covers(date));

    /// <summary>
    /// How many days from <paramref name="from"/> to <paramref name="to"/> (both inclusive) lie outside every
    /// one of <paramref name="excluded"/>. Overlapping or repeated ranges are merged first, so a day is
    /// never taken off twice.
    /// </summary>
    public static int DaysOutside(DateOnly from, DateOnly to, IEnumerable<DateRange> excluded)
    {
        if (to < from) return 0;
        var total = to.DayNumber - from.DayNumber + 1;
        var clipped = excluded
            .Select(r => (Start: r.Start < from ? from : r.Start, End: r.End is { } e && e < to ? e : to))
            .Where(r => r.Start <= r.End)
            .OrderBy(r => r.Start);
        DateOnly? runStart = null, runEnd = null;
        foreach (var (start, end) in clipped)
        {
            if (runEnd is { } re && start.DayNumber <= re.DayNumber + 1)
            {
                if (end > re) runEnd = end;
                continue;
            }
            if (runStart is { } rs) total -= runEnd!.Value.DayNumber - rs.DayNumber + 1;
            (runStart, runEnd) = (start, end);
        }
        if (runStart is { } last) total -= runEnd!.Value.DayNumber - last.DayNumber + 1;
        return total;
    }
}
