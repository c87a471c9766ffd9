using ClickCollect.Api.Features.Lockdowns;

namespace ClickCollect.Tests.Features.Lockdowns;

public sealed class LockdownRulesTests
{
    static LockdownPeriod Period(string start, string? end, int? shift = null, int spread = 1, int? cap = null, bool extend = true, long[]? branches = null) =>
        new(1, DateOnly.Parse(start), end is null ? null : DateOnly.Parse(end), branches, true, true, shift, spread, cap, extend);

    [Theory]
    [InlineData("2026-03-15", "2026-03-27")]   // inside: end (20th) + 7
    [InlineData("2026-03-10", "2026-03-27")]   // the first day is inside (inclusive)
    [InlineData("2026-03-20", "2026-03-27")]   // the last day is inside (inclusive)
    [InlineData("2026-03-09", "2026-03-09")]   // the day before: untouched
    [InlineData("2026-03-21", "2026-03-21")]   // the day after: untouched
    public void A_due_date_inside_a_lockdown_moves_to_its_end_plus_N_days(string due, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), LockdownRules.ShiftDueDate(DateOnly.Parse(due), [Period("2026-03-10", "2026-03-20", shift: 7)], patronId: 1));

    [Fact]
    public void Shifted_due_dates_are_spread_by_patron_over_the_lockdowns_spread_days()
    {
        var lockdown = Period("2026-03-10", "2026-03-20", shift: 7, spread: 5);
        var dues = Enumerable.Range(1, 200).Select(patron => LockdownRules.ShiftDueDate(new(2026, 3, 15), [lockdown], patron)!.Value).ToList();

        Assert.All(dues, d => Assert.InRange(d, new DateOnly(2026, 3, 27), new DateOnly(2026, 3, 31)));
        var perDay = dues.GroupBy(d => d).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(5, perDay.Count);
        Assert.All(perDay.Values, n => Assert.InRange(n, 20, 60)); // roughly a fifth each: no reopening-day rush
        // One patron's loans all move to the same day: one trip.
        Assert.Equal(LockdownRules.ShiftDueDate(new(2026, 3, 11), [lockdown], 7), LockdownRules.ShiftDueDate(new(2026, 3, 19), [lockdown], 7));
    }

    [Fact]
    public void An_open_ended_lockdown_holds_due_dates_until_it_ends()
    {
        Assert.Null(LockdownRules.ShiftDueDate(new(2026, 4, 15), [Period("2026-03-10", null, shift: 7)], 1));
        Assert.Equal(new DateOnly(2026, 3, 9), LockdownRules.ShiftDueDate(new(2026, 3, 9), [Period("2026-03-10", null, shift: 7)], 1));
        Assert.Equal(new DateOnly(2026, 4, 15), LockdownRules.ShiftDueDate(new(2026, 4, 15), [Period("2026-03-10", null)], 1)); // not shifting
    }

    [Fact]
    public void A_pickup_deadline_inside_a_lockdown_gets_a_full_window_after_it()
    {
        static DateOnly FiveDaysAfter(DateOnly end) => end.AddDays(5);
        Assert.Equal(new DateOnly(2026, 3, 25), LockdownRules.ExtendPickupDeadline(new(2026, 3, 17), [Period("2026-03-12", "2026-03-20")], FiveDaysAfter));
        Assert.Equal(new DateOnly(2026, 3, 17), LockdownRules.ExtendPickupDeadline(new(2026, 3, 17), [Period("2026-03-12", "2026-03-20", extend: false)], FiveDaysAfter));
        Assert.Null(LockdownRules.ExtendPickupDeadline(new(2026, 3, 17), [Period("2026-03-12", null)], FiveDaysAfter));
    }

    [Fact]
    public void The_lowest_cap_of_the_lockdowns_covering_a_date_applies_to_new_bookings()
    {
        LockdownPeriod[] periods = [Period("2026-03-10", "2026-03-20", cap: 3), Period("2026-03-15", null, cap: 1), Period("2026-03-01", "2026-03-31")];
        Assert.Equal(4, LockdownRules.CappedCapacity(4, new(2026, 3, 9), periods));
        Assert.Equal(3, LockdownRules.CappedCapacity(4, new(2026, 3, 10), periods));
        Assert.Equal(1, LockdownRules.CappedCapacity(4, new(2026, 3, 15), periods));
        Assert.Equal(1, LockdownRules.CappedCapacity(4, new(2026, 9, 1), periods));
        Assert.Equal(2, LockdownRules.CappedCapacity(2, new(2026, 3, 10), periods)); // a cap never raises capacity
    }

    [Fact]
    public void Periods_apply_to_their_branches_or_to_the_whole_network()
    {
        LockdownPeriod[] periods = [Period("2026-03-10", null, branches: [2]), Period("2026-03-10", null)];
        Assert.Single(periods.For(1));
        Assert.Equal(2, periods.For(2).Count);
    }

    [Theory]
    [InlineData("2026-03-01", "2026-03-31", new string[0], 31)]
    [InlineData("2026-03-01", "2026-03-31", new[] { "2026-02-01..2026-03-05" }, 26)]
    [InlineData("2026-03-01", "2026-03-31", new[] { "2026-03-10..2026-03-12", "2026-03-13..2026-03-14" }, 26)] // adjacent ranges
    [InlineData("2026-03-01", "2026-03-31", new[] { "2026-03-10.." }, 9)]
    [InlineData("2026-03-01", "2026-03-31", new[] { "2026-04-01..2026-04-30" }, 31)]
    [InlineData("2026-03-05", "2026-03-04", new string[0], 0)]
    public void Days_outside_ranges_count_each_day_once(string from, string to, string[] ranges, int expected)
    {
        var excluded = ranges.Select(r => r.Split("..")).Select(r => new DateRange(DateOnly.Parse(r[0]), r[1].Length == 0 ? null : DateOnly.Parse(r[1])));
        Assert.Equal(expected, LockdownRules.DaysOutside(DateOnly.Parse(from), DateOnly.Parse(to), excluded));
    }
}
