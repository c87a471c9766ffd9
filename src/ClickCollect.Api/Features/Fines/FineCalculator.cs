using ClickCollect.Api.Infrastructure;
using ClickCollect.Api.Features.Lockdowns;

namespace ClickCollect.Api.Features.Fines;

/// <summary>A fine policy: cents per overdue day, free days before the first charged one, the most one loan can cost.</summary>
internal sealed record FineRule(int CentsPerDay, int GraceDays, int CapCents);

/// <summary>
/// One loan as the calculator sees it. <paramref name="Lockdowns"/> and <paramref name="ClosedDays"/> are
/// those of the copy's branch; <paramref name="PatronId"/> spreads shifted due dates (<see cref="LockdownRules.Spread"/>).
/// </summary>
internal sealed record FineInput(DateOnly OriginalDueOn, DateOnly? ReturnedOn, FineRule Rule,
    IReadOnlyList<LockdownPeriod> Lockdowns, IReadOnlyList<DateRange> ClosedDays, long PatronId);

/// <param name="DueOn">The due date after lockdown shifts; null while an open-ended lockdown holds it.</param>
/// <param name="OverdueDays">Late days that count: after the due date, up to the return (or today), outside
/// fine-suspending lockdowns and closed days.</param>
/// <param name="ChargedDays">Overdue days past the grace period.</param>
/// <param name="AmountCents">Charged days × the daily amount, capped.</param>
internal sealed record Fine(DateOnly? DueOn, int OverdueDays, int ChargedDays, int AmountCents);

/// <summary>
/// Fines are derived, never accrued (issue 5): the same inputs always give the same figure, whenever a
/// lockdown was recorded and however often it moved. Pure: no I/O, no clock, today is a parameter.
/// </summary>
internal static class FineCalculator
{
    public static Fine Compute(FineInput loan, DateOnly today)
    {
        var due = LockdownRules.ShiftDueDate(loan.OriginalDueOn, loan.Lockdowns, loan.PatronId);
        if (due is null) return new Fine(null, 0, 0, 0);

        // Returned on the due date: on time. Returned the day after: one day late. Not returned: late
        // up to and including today.
        var last = loan.ReturnedOn ?? today;
        var excluded = loan.Lockdowns.Where(l => l.SuspendFines).Select(l => l.Range).Concat(loan.ClosedDays);
        var overdue = LockdownRules.DaysOutside(due.Value.AddDaysSaturating(1), last, excluded);

        var rule = loan.Rule;
        var charged = Math.Max(0, overdue - rule.GraceDays);
        var amount = (int)Math.Min((long)charged * rule.CentsPerDay, rule.CapCents);
        return new Fine(due, overdue, charged, amount);
    }

    /// <summary>
    /// The days each branch is closed: those on which every one of its counters has a closure (one counter
    /// closed does not stop returns at the other). Closure dates are the branch's local dates, inclusive.
    /// </summary>
    public static IReadOnlyDictionary<long, IReadOnlyList<DateRange>> BranchClosedDays(
        ILookup<long, long> countersByBranch, ILookup<long, DateRange> closuresByPickupPoint)
    {
        var result = new Dictionary<long, IReadOnlyList<DateRange>>();
        foreach (var branch in countersByBranch)
        {
            var counters = branch.ToList();
            var ranges = new List<DateRange>();
            DateOnly? start = null, end = null;
            foreach (var day in closuresByPickupPoint[counters[0]]
                         .SelectMany(r => Days(r.Start, r.End ?? r.Start)).Distinct().Order()
                         .Where(d => counters.All(c => closuresByPickupPoint[c].Any(r => r.Covers(d)))))
            {
                if (end is { } e && day.DayNumber == e.DayNumber + 1) { end = day; continue; }
                if (start is { } s) ranges.Add(new DateRange(s, end));
                (start, end) = (day, day);
            }
            if (start is { } last) ranges.Add(new DateRange(last, end));
            if (ranges.Count > 0) result[branch.Key] = ranges;
        }
        return result;
    }

    static IEnumerable<DateOnly> Days(DateOnly from, DateOnly to) => DateBounds.Days(from, to);
}
