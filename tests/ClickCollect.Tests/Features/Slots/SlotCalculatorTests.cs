using ClickCollect.Api.Features.Slots;

namespace ClickCollect.Tests.Features.Slots;

public sealed class SlotCalculatorTests
{
    static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    static IReadOnlyList<Slot> Day(DateOnly date, TimeOnly start, TimeOnly end, int minutes = 30, params Closure[] closures) =>
        SlotCalculator.Slots([new DatedWindow(date, start, end, minutes, 4, null)], closures, Paris);

    [Theory]
    [InlineData("2026-03-28", "09:00")] // Saturday before spring forward: UTC+1
    [InlineData("2026-03-29", "08:00")] // the spring-forward Sunday itself, after 03:00: UTC+2
    [InlineData("2026-03-30", "08:00")]
    [InlineData("2026-10-24", "08:00")] // Saturday before fall back: UTC+2
    [InlineData("2026-10-25", "09:00")] // the fall-back Sunday, after 03:00: UTC+1
    public void A_ten_oclock_window_starts_at_ten_local_time_on_either_side_of_a_clock_change(string date, string utc)
    {
        var slots = Day(DateOnly.Parse(date), new(10, 0), new(12, 0));
        Assert.Equal(4, slots.Count);
        Assert.Equal(DateTimeOffset.Parse($"{date}T{utc}:00Z"), slots[0].Start);
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromMinutes(30), s.End - s.Start));
    }

    [Fact]
    public void Spring_forward_skips_the_hour_that_does_not_exist_and_duplicates_nothing()
    {
        var slots = Day(new DateOnly(2026, 3, 29), new(1, 0), new(4, 0));
        Assert.Equal(["00:00", "00:30", "01:00", "01:30"], slots.Select(s => s.Start.UtcDateTime.ToString("HH:mm")));
        Assert.Equal(slots.Count, slots.Select(s => s.Start).Distinct().Count());
    }

    [Fact]
    public void Fall_back_gives_each_local_time_once_without_duplicate_instants()
    {
        var slots = Day(new DateOnly(2026, 10, 25), new(1, 0), new(4, 0));
        Assert.Equal(6, slots.Count);
        Assert.Equal(slots.Count, slots.Select(s => s.Start).Distinct().Count());
        Assert.True(slots.Zip(slots.Skip(1)).All(p => p.First.Start < p.Second.Start));
    }

    [Fact]
    public void A_closure_removes_every_date_of_its_range_both_ends_included()
    {
        var windows = SlotCalculator.Expand([new OpeningWindow(2, new(10, 0), new(11, 0), 30, 4)], new(2026, 3, 1), new(2026, 3, 31)).ToList();
        Assert.Equal(5, windows.Count); // the five Tuesdays of March 2026
        var slots = SlotCalculator.Slots(windows, [new Closure(new(2026, 3, 10), new(2026, 3, 17))], Paris);
        Assert.Equal(6, slots.Count);
        Assert.DoesNotContain(slots, s => s.Start.Day is 10 or 17);
    }

    [Fact]
    public void A_window_that_does_not_divide_into_slots_drops_the_incomplete_last_one()
    {
        Assert.Equal(3, Day(new DateOnly(2026, 3, 10), new(10, 0), new(11, 50), minutes: 30).Count);
    }

    [Theory]
    [InlineData("2026-03-10", 1, "2026-03-11")]
    [InlineData("2026-03-10", 3, "2026-03-13")] // Wed, Thu(open), Fri: Tue–Sat opening in the predicate below
    [InlineData("2026-03-13", 2, "2026-03-17")] // Sat, then Sunday and Monday are closed → Tuesday
    public void Pickup_deadlines_count_open_days_and_never_fall_on_a_closed_day(string ready, int days, string expected)
    {
        static bool TuesdayToSaturday(DateOnly d) => SlotCalculator.IsoWeekday(d) is >= 2 and <= 6;
        Assert.Equal(DateOnly.Parse(expected), SlotCalculator.AddOpenDays(DateOnly.Parse(ready), days, TuesdayToSaturday));
    }

    [Fact]
    public void A_pickup_point_that_never_opens_has_no_deadline()
    {
        Assert.Null(SlotCalculator.AddOpenDays(new DateOnly(2026, 3, 10), 3, _ => false));
    }
}
