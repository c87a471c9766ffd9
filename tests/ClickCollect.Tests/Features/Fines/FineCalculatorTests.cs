using ClickCollect.Api.Features.Fines;
using ClickCollect.Api.Features.Lockdowns;

namespace ClickCollect.Tests.Features.Fines;

public sealed class FineCalculatorTests
{
    // One loan of branch 1, due on Sunday 1 March 2026, 10 cents a late day, no grace, capped at 5 €, unless a case says otherwise.
    static readonly DateOnly Due = new(2026, 3, 1);
    static readonly DateOnly Today = new(2026, 3, 31);

    /// <summary>"start..end" (both inclusive), "start.." (open-ended); flags: f = suspends fines, s7 = shifts due dates by 7 days, b2 = branch 2 only.</summary>
    static LockdownPeriod Lockdown(string spec, int id = 1)
    {
        var parts = spec.Split(' ');
        var range = parts[0].Split("..");
        var flags = parts.Skip(1).ToList();
        int? shift = flags.FirstOrDefault(f => f.StartsWith('s')) is { } s ? int.Parse(s[1..]) : null;
        IReadOnlyCollection<long>? branches = flags.FirstOrDefault(f => f.StartsWith('b')) is { } b ? [long.Parse(b[1..])] : null;
        return new LockdownPeriod(id, DateOnly.Parse(range[0]), range[1].Length == 0 ? null : DateOnly.Parse(range[1]), branches,
            SuspendFines: flags.Contains("f"), SuspendReminders: true, ShiftDueDatesDays: shift, SpreadDays: 1, SlotCapacityCap: null,
            ExtendPickupDeadlines: true);
    }

    static Fine Compute(string? returned, string[] lockdowns, int grace = 0, int cap = 500, string? closed = null, string? today = null)
    {
        var periods = lockdowns.Select((l, i) => Lockdown(l, i + 1)).For(branchId: 1);
        IReadOnlyList<DateRange> closedDays = closed is null ? [] : [new(DateOnly.Parse(closed.Split("..")[0]), DateOnly.Parse(closed.Split("..")[1]))];
        var input = new FineInput(Due, returned is null ? null : DateOnly.Parse(returned), new FineRule(10, grace, cap), periods, closedDays, PatronId: 42);
        return FineCalculator.Compute(input, today is null ? Today : DateOnly.Parse(today));
    }

    [Theory]
    [InlineData("2026-03-01", 0, 0)]            // returned on the due date: on time
    [InlineData("2026-02-20", 0, 0)]            // returned early
    [InlineData("2026-03-02", 1, 10)]           // the day after: one day late
    [InlineData(null, 30, 300)]                 // not returned: late up to and including today
    public void Without_lockdown_every_day_after_the_due_date_counts(string? returned, int days, int cents)
    {
        var fine = Compute(returned, []);
        Assert.Equal((days, cents), (fine.OverdueDays, fine.AmountCents));
    }

    [Theory]
    [InlineData("before the due date", null, new[] { "2026-02-01..2026-02-20 f" }, 30)]
    [InlineData("during the late days", null, new[] { "2026-03-10..2026-03-19 f" }, 20)]
    [InlineData("after the return", "2026-03-05", new[] { "2026-03-10..2026-03-20 f" }, 4)]
    [InlineData("covering the due date", null, new[] { "2026-02-25..2026-03-05 f" }, 26)]
    [InlineData("overlapping: the union counts once", null, new[] { "2026-03-10..2026-03-19 f", "2026-03-15..2026-03-24 f" }, 15)]
    [InlineData("the same lockdown recorded twice", null, new[] { "2026-03-10..2026-03-19 f", "2026-03-10..2026-03-19 f" }, 20)]
    [InlineData("another branch's lockdown", null, new[] { "2026-03-10..2026-03-19 f b2" }, 30)]
    [InlineData("this branch's lockdown", null, new[] { "2026-03-10..2026-03-19 f b1" }, 20)]
    [InlineData("open-ended, still going", null, new[] { "2026-03-10.. f" }, 8)]
    [InlineData("open-ended, returned during it", "2026-03-20", new[] { "2026-03-10.. f" }, 8)]
    [InlineData("retroactive: the whole late period", "2026-03-25", new[] { "2026-03-01..2026-03-31 f" }, 0)]
    [InlineData("reminders only: fines still count", null, new[] { "2026-03-10..2026-03-19" }, 30)]
    [InlineData("shifted due date: due 7 days after the end", null, new[] { "2026-02-25..2026-03-05 s7" }, 19)]
    [InlineData("shifted and suspended", null, new[] { "2026-02-20..2026-03-10 f s3" }, 18)]
    [InlineData("shifted into a second lockdown: moves again", null, new[] { "2026-02-25..2026-03-05 s7", "2026-03-10..2026-03-15 s2" }, 14)]
    [InlineData("open-ended and shifting: not due until it ends", null, new[] { "2026-02-25.. s7" }, 0)]
    [InlineData("shifting lockdown that ended before the due date", null, new[] { "2026-02-01..2026-02-20 s7" }, 30)]
    public void Lockdowns_take_their_days_out_of_the_late_days(string why, string? returned, string[] lockdowns, int days)
    {
        var fine = Compute(returned, lockdowns);
        Assert.True(days == fine.OverdueDays, $"{why}: expected {days} late days, got {fine.OverdueDays}");
        Assert.Equal(days * 10, fine.AmountCents);
    }

    [Theory]
    [InlineData("2026-03-03", 3, 2, 0, 0)]      // inside the grace period: late, but nothing to pay
    [InlineData("2026-03-04", 3, 3, 0, 0)]
    [InlineData("2026-03-06", 3, 5, 2, 20)]     // the first three late days are free
    [InlineData(null, 3, 30, 27, 270)]
    public void Grace_days_are_free(string? returned, int grace, int overdue, int charged, int cents)
    {
        var fine = Compute(returned, [], grace: grace);
        Assert.Equal((overdue, charged, cents), (fine.OverdueDays, fine.ChargedDays, fine.AmountCents));
    }

    [Theory]
    [InlineData(null, 100, 100)]                // 30 days × 10 cents, capped at 1 €
    [InlineData("2026-03-05", 100, 40)]         // under the cap
    [InlineData(null, 0, 0)]                    // a zero cap: no fines for this kind of document
    public void The_cap_is_the_most_one_loan_costs(string? returned, int cap, int cents) =>
        Assert.Equal(cents, Compute(returned, [], cap: cap).AmountCents);

    [Fact]
    public void Closed_days_of_the_branch_do_not_count() =>
        Assert.Equal(27, Compute(null, [], closed: "2026-03-20..2026-03-22").OverdueDays);

    [Fact]
    public void A_closure_inside_a_lockdown_is_not_taken_off_twice() =>
        Assert.Equal(20, Compute(null, ["2026-03-10..2026-03-19 f"], closed: "2026-03-12..2026-03-14").OverdueDays);

    [Fact]
    public void A_loan_returned_before_today_stops_counting_on_its_return_day() =>
        Assert.Equal(9, Compute("2026-03-10", [], today: "2026-06-30").OverdueDays);

    [Fact]
    public void The_due_date_after_shifts_is_given_back()
    {
        Assert.Equal(new DateOnly(2026, 3, 12), Compute(null, ["2026-02-25..2026-03-05 s7"]).DueOn);
        Assert.Null(Compute(null, ["2026-02-25.. s7"]).DueOn);
        Assert.Equal(Due, Compute(null, []).DueOn);
    }

    [Fact]
    public void A_branch_is_closed_only_on_days_every_counter_is()
    {
        (long Branch, long Point)[] counters = [(1, 10), (1, 11), (2, 20)];
        (long Point, DateRange Range)[] closures =
        [
            (10, new DateRange(new(2026, 8, 1), new(2026, 8, 20))),
            (11, new DateRange(new(2026, 8, 10), new(2026, 8, 31))),
            (20, new DateRange(new(2026, 12, 25), new(2026, 12, 25))),
        ];

        var closed = FineCalculator.BranchClosedDays(counters.ToLookup(c => c.Branch, c => c.Point), closures.ToLookup(c => c.Point, c => c.Range));

        Assert.Equal([new DateRange(new(2026, 8, 10), new(2026, 8, 20))], closed[1]);
        Assert.Equal([new DateRange(new(2026, 12, 25), new(2026, 12, 25))], closed[2]);
    }
}
