using ClickCollect.Api.Infrastructure;

namespace ClickCollect.Api.Features.Slots;

/// <summary>A bookable slot: UTC instants, and the capacity in patrons (and optionally items).</summary>
internal sealed record Slot(DateTimeOffset Start, DateTimeOffset End, int Capacity, int? MaxItems);

/// <summary>An opening window of one weekday (ISO 1 = Monday … 7 = Sunday), in local wall-clock time.</summary>
internal sealed record OpeningWindow(int Weekday, TimeOnly StartsAt, TimeOnly EndsAt, int SlotMinutes, int Capacity, int? MaxItems = null);

/// <summary>An opening window on one date (bibliobus visits, which have date exceptions).</summary>
internal sealed record DatedWindow(DateOnly Date, TimeOnly StartsAt, TimeOnly EndsAt, int SlotMinutes, int Capacity, int? MaxItems);

internal sealed record Closure(DateOnly StartsOn, DateOnly EndsOn)
{
    public bool Covers(DateOnly date) => StartsOn <= date && date <= EndsOn;
}

/// <summary>
/// Derives slots from opening windows, closures and the branch's time zone. Pure: no clock, no I/O.
/// Slots are enumerated in local wall-clock time and converted to UTC one by one, so the two
/// daylight-saving days neither shift nor duplicate a slot: a local time that does not exist
/// (spring forward) yields no slot, one that exists twice (fall back) yields one slot.
/// </summary>
internal static class SlotCalculator
{
    public static IReadOnlyList<Slot> Slots(IEnumerable<DatedWindow> windows, IReadOnlyCollection<Closure> closures, TimeZoneInfo zone)
    {
        var slots = new List<Slot>();
        foreach (var w in windows.Where(w => !closures.Any(c => c.Covers(w.Date))).OrderBy(w => w.Date).ThenBy(w => w.StartsAt))
        {
            var length = TimeSpan.FromMinutes(w.SlotMinutes);
            for (var start = w.Date.ToDateTime(w.StartsAt); start + length <= w.Date.ToDateTime(w.EndsAt); start += length)
            {
                if (zone.IsInvalidTime(start)) continue;
                var utc = ToUtc(start, zone);
                slots.Add(new Slot(utc, utc + length, w.Capacity, w.MaxItems));
            }
        }
        return slots;
    }

    /// <summary>Weekly windows expanded over the dates from <paramref name="from"/> to <paramref name="to"/>, both inclusive.</summary>
    public static IEnumerable<DatedWindow> Expand(IReadOnlyCollection<OpeningWindow> weekly, DateOnly from, DateOnly to)
    {
        foreach (var date in DateBounds.Days(from, to))
            foreach (var w in weekly.Where(w => w.Weekday == IsoWeekday(date)))
                yield return new DatedWindow(date, w.StartsAt, w.EndsAt, w.SlotMinutes, w.Capacity, w.MaxItems);
    }

    /// <summary>
    /// The date <paramref name="openDays"/> open days after <paramref name="from"/> (which does not count),
    /// so a pickup deadline always falls on a day the pickup point opens. Null when it never opens again
    /// within a year.
    /// </summary>
    public static DateOnly? AddOpenDays(DateOnly from, int openDays, Func<DateOnly, bool> isOpen)
    {
        var date = from;
        var limit = from.Year < DateOnly.MaxValue.Year ? from.AddYears(1) : DateOnly.MaxValue;
        for (var counted = 0; counted < openDays;)
        {
            if (date >= limit) return null;
            date = date.AddDays(1);
            if (isOpen(date)) counted++;
        }
        return date;
    }

    public static int IsoWeekday(DateOnly date) => date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek;

    /// <summary>Local wall-clock time to UTC; an ambiguous time (fall back) is read as its first occurrence.</summary>
    public static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
}
