using ClickCollect.Api.Features.Fines;
using ClickCollect.Api.Features.Lockdowns;

namespace ClickCollect.Tests.Features.Fines;

/// <summary>
/// Properties of the fine over random loans and lockdowns (fixed seed, so a failure replays): never
/// negative, never above the cap, never larger with a lockdown added, unchanged by recording the same
/// lockdown twice, and a due date never earlier with a lockdown added.
/// </summary>
public sealed class FineCalculatorProperties
{
    const int Seed = 20201030; // the day France's second lockdown began
    const int Cases = 3000;
    static readonly DateOnly Start = new(2026, 1, 1);
    static readonly DateOnly Today = new(2026, 6, 30);

    sealed record Case(FineInput Loan, IReadOnlyList<LockdownPeriod> Lockdowns, LockdownPeriod Extra);

    static IEnumerable<Case> Cases_()
    {
        var random = new Random(Seed);
        DateOnly Day(int from, int span) => Start.AddDays(from + random.Next(span));
        LockdownPeriod Period(int id)
        {
            var start = Day(0, 150);
            DateOnly? end = random.Next(5) == 0 ? null : start.AddDays(random.Next(60));
            IReadOnlyCollection<long>? branches = random.Next(3) switch { 0 => null, 1 => [1L], _ => [2L] };
            return new LockdownPeriod(id, start, end, branches, random.Next(2) == 0, random.Next(2) == 0,
                random.Next(3) == 0 ? null : random.Next(15), 1 + random.Next(7), null, true);
        }
        for (var i = 0; i < Cases; i++)
        {
            var due = Day(0, 120);
            DateOnly? returned = random.Next(3) == 0 ? null : due.AddDays(random.Next(-10, 90));
            var rule = new FineRule(random.Next(0, 100), random.Next(0, 6), random.Next(0, 2000));
            var lockdowns = Enumerable.Range(1, random.Next(4)).Select(Period).ToList();
            var closedFrom = Day(0, 150);
            IReadOnlyList<DateRange> closed = random.Next(4) == 0 ? [new DateRange(closedFrom, closedFrom.AddDays(random.Next(10)))] : [];
            var loan = new FineInput(due, returned, rule, lockdowns.For(1), closed, PatronId: random.Next(1, 500));
            yield return new Case(loan, lockdowns, Period(99));
        }
    }

    static Fine Fine(FineInput loan, IEnumerable<LockdownPeriod> lockdowns) =>
        FineCalculator.Compute(loan with { Lockdowns = lockdowns.For(1) }, Today);

    [Fact]
    public void A_fine_is_never_negative_and_never_above_the_cap()
    {
        foreach (var c in Cases_())
        {
            var fine = FineCalculator.Compute(c.Loan, Today);
            Assert.InRange(fine.AmountCents, 0, c.Loan.Rule.CapCents);
            Assert.InRange(fine.ChargedDays, 0, fine.OverdueDays);
            Assert.True(fine.OverdueDays >= 0);
        }
    }

    [Fact]
    public void Adding_a_lockdown_never_makes_a_fine_larger_nor_a_due_date_earlier()
    {
        var checkedCases = 0;
        foreach (var c in Cases_())
        {
            var without = Fine(c.Loan, c.Lockdowns);
            var with = Fine(c.Loan, [.. c.Lockdowns, c.Extra]);
            Assert.True(with.AmountCents <= without.AmountCents, $"{c.Loan} + {c.Extra}: {with.AmountCents} > {without.AmountCents}");
            Assert.True(with.OverdueDays <= without.OverdueDays, $"{c.Loan} + {c.Extra}: {with.OverdueDays} > {without.OverdueDays} days");
            Assert.True(with.DueOn is null || (without.DueOn is { } before && with.DueOn >= before),
                $"{c.Loan} + {c.Extra}: due {with.DueOn} before {without.DueOn}");
            checkedCases++;
        }
        Assert.Equal(Cases, checkedCases);
    }

    [Fact]
    public void Recording_the_same_lockdown_twice_changes_nothing()
    {
        foreach (var c in Cases_().Where(c => c.Lockdowns.Count > 0))
        {
            var once = Fine(c.Loan, c.Lockdowns);
            var twice = Fine(c.Loan, [.. c.Lockdowns, c.Lockdowns[0] with { Id = 1000 }]);
            Assert.Equal(once, twice);
        }
    }

    [Fact]
    public void The_cases_cover_lockdowns_that_change_fines()
    {
        // Guards the generator: the properties above would hold trivially if no lockdown ever mattered.
        var changed = Cases_().Count(c => Fine(c.Loan, [.. c.Lockdowns, c.Extra]).AmountCents < Fine(c.Loan, c.Lockdowns).AmountCents);
        Assert.True(changed > Cases / 20, $"only {changed} cases where a lockdown lowers the fine");
    }
}
