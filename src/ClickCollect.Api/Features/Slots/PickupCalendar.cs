using ClickCollect.Api.Infrastructure;
using ClickCollect.Api.Features.Network;

namespace ClickCollect.Api.Features.Slots;

/// <summary>
/// A pickup point's calendar: counters open by weekly windows, bibliobus stops during the route's
/// visits (with date exceptions); closures remove whole dates. Pure once loaded.
/// </summary>
internal sealed record PickupCalendar(long PickupPointId, PickupPointKind Kind, TimeZoneInfo Zone, TimeSpan LeadTime, int HorizonDays,
    int PickupOpenDays, int StopSlotMinutes, int StopSlotCapacity, IReadOnlyList<OpeningWindow> Weekly,
    IReadOnlyList<(int Weekday, TimeOnly ArrivesAt, TimeOnly DepartsAt)> StopVisits,
    IReadOnlyList<(DateOnly Date, bool Cancelled, TimeOnly? ArrivesAt, TimeOnly? DepartsAt)> StopExceptions,
    IReadOnlyList<ClosureResponse> Closures)
{
    IReadOnlyCollection<Closure> ClosedDates => Closures.Select(c => new Closure(c.StartsOn, c.EndsOn)).ToList();

    IEnumerable<DatedWindow> Windows(DateOnly from, DateOnly to)
    {
        if (Kind == PickupPointKind.Counter) return SlotCalculator.Expand(Weekly, from, to);
        return StopWindows(from, to);
    }

    IEnumerable<DatedWindow> StopWindows(DateOnly from, DateOnly to)
    {
        foreach (var date in DateBounds.Days(from, to))
        {
            var exception = StopExceptions.FirstOrDefault(e => e.Date == date);
            if (exception.Date == date)
            {
                if (!exception.Cancelled)
                    yield return new DatedWindow(date, exception.ArrivesAt!.Value, exception.DepartsAt!.Value, StopSlotMinutes, StopSlotCapacity, null);
                continue;
            }
            foreach (var v in StopVisits.Where(v => v.Weekday == SlotCalculator.IsoWeekday(date)))
                yield return new DatedWindow(date, v.ArrivesAt, v.DepartsAt, StopSlotMinutes, StopSlotCapacity, null);
        }
    }

    /// <summary>Every slot on the local dates from <paramref name="from"/> to <paramref name="to"/> (inclusive).</summary>
    public IReadOnlyList<Slot> Slots(DateOnly from, DateOnly to) => SlotCalculator.Slots(Windows(from, to), ClosedDates, Zone);

    public bool IsOpen(DateOnly date) => Slots(date, date).Count > 0;

    public DateOnly Today(DateTimeOffset now) => SlotCalculator.LocalDate(now, Zone);

    /// <summary>The slots a patron may book now: not before now + lead time, not after today + horizon.</summary>
    public IReadOnlyList<Slot> Bookable(DateTimeOffset now, DateOnly? from = null, DateOnly? to = null)
    {
        var (first, end) = BookableDates(now, from, to);
        return Slots(first, end).Where(s => IsBookable(s, now)).ToList();
    }

    /// <summary>The local dates whose slots <see cref="Bookable"/> looks at: from today (or <paramref name="from"/>) to the horizon (or <paramref name="to"/>).</summary>
    public (DateOnly First, DateOnly End) BookableDates(DateTimeOffset now, DateOnly? from = null, DateOnly? to = null)
    {
        var today = Today(now);
        var last = today.AddDaysSaturating(HorizonDays);
        return (from is { } f && f > today ? f : today, to is { } t && t < last ? t : last);
    }

    /// <summary>Not before now + lead time.</summary>
    public bool IsBookable(Slot slot, DateTimeOffset now) => slot.Start >= now + LeadTime;

    /// <summary>The pickup deadline of a hold made Ready on <paramref name="readyOn"/>: that many open days later.</summary>
    public DateOnly? PickupDeadline(DateOnly readyOn) => SlotCalculator.AddOpenDays(readyOn, PickupOpenDays, IsOpen);
}
