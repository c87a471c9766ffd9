using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Features.SurpriseSelections;

namespace ClickCollect.Api.Features.Figures;

/// <summary>
/// The director's figures for a date range (issue 11), per pickup point or for the network. Every
/// count is made on rows that keep no patron (or whose patron link the retention job may have cut),
/// so anonymising old records leaves the figures unchanged.
/// </summary>
/// <param name="From">First local date of the range (inclusive).</param>
/// <param name="To">Last local date of the range (inclusive).</param>
/// <param name="TimeZone">The zone the dates are read in: the pickup point's branch, or the network's first branch.</param>
internal sealed record FiguresResponse(
    DateOnly From, DateOnly To, long? PickupPointId, string TimeZone,
    AppointmentFigures Appointments,
    HoldFigures Holds,
    IReadOnlyList<DayReservations> ReservationsPerDay,
    IReadOnlyList<WeekOutcomes> OutcomesPerWeek,
    IReadOnlyList<OccupancyCell> Occupancy,
    HandOverFigures HandOver,
    int NotFound,
    IReadOnlyList<StopDemand> StopDemand,
    SelectionFigures Selections,
    SmsFigures Sms);

/// <summary>
/// Appointments whose slot starts in the range. <c>Booked</c>: every appointment made for those slots,
/// whatever became of it; then their outcome so far. <c>NoShowRate</c> = noShow / (completed + noShow),
/// the share of kept-or-missed appointments that were missed (0 when none ended yet).
/// </summary>
internal sealed record AppointmentFigures(int Booked, int Completed, int NoShow, int Cancelled, int Pending, double NoShowRate);

internal sealed record ChannelCounts(int Web, int Phone, int Sms, int Selection)
{
    public int Total => Web + Phone + Sms + Selection;
}

/// <summary>Reservations (holds) placed in the range, by the channel they came through.</summary>
internal sealed record HoldFigures(ChannelCounts ByChannel, int Total);

internal sealed record DayReservations(DateOnly Date, int Web, int Phone, int Sms, int Selection);

/// <summary>Appointments per week (Monday first) of their slot, with their outcome.</summary>
internal sealed record WeekOutcomes(DateOnly WeekStart, int Booked, int Completed, int NoShow, int Cancelled, double NoShowRate);

/// <summary>
/// Places offered and taken per pickup point, local weekday (ISO: 1 = Monday) and hour of the slot
/// start, summed over the range. Capacity comes from today's opening windows, closures and any
/// lockdown cap; booked counts the appointments that took a place (not cancelled ones).
/// </summary>
internal sealed record OccupancyCell(long PickupPointId, int Weekday, int Hour, int Capacity, int Booked);

/// <summary>From "I'm here" to hand-over, for completed appointments that had an arrival (minutes; percentiles interpolated).</summary>
internal sealed record HandOverFigures(int Count, double? MedianMinutes, double? P90Minutes);

/// <summary>Holds placed for a bibliobus stop in the range and appointments asked for there (every status), in route order.</summary>
internal sealed record StopDemand(long PickupPointId, string Name, int Holds, int Appointments);

/// <summary>Surprise-selection requests opened in the range; the wait is from opening to the librarian's confirmation (hours).</summary>
internal sealed record SelectionFigures(int Received, int Confirmed, int Cancelled, double? MedianWaitHours, double? P90WaitHours);

/// <summary>
/// SMS queued in the range. Sent: handed to the provider (sent, delivered or undelivered); failed: the
/// provider refused or could not deliver; notSent: skipped (no number, no consent, opted out) or no provider configured.
/// Segments: what the provider bills for the sent ones.
/// </summary>
internal sealed record SmsFigures(int Queued, int Sent, int Delivered, int Failed, int NotSent, int Segments);

/// <summary>What the store reads, already grouped by the database; everything else is computed by <see cref="FiguresCalculator"/>.</summary>
internal sealed record FiguresData(
    TimeZoneInfo Zone,
    IReadOnlyList<FigurePoint> Points,
    IReadOnlyList<AppointmentCount> Appointments,
    IReadOnlyList<BookedCount> Booked,
    IReadOnlyList<HoldCount> Holds,
    IReadOnlyList<DurationCount> HandOvers,
    int NotFound,
    IReadOnlyList<SelectionCount> Selections,
    IReadOnlyList<DurationCount> SelectionWaits,
    IReadOnlyList<SmsCount> Sms,
    IReadOnlyDictionary<long, IReadOnlyList<Slot>> OfferedSlots);

internal sealed record FigurePoint(long Id, PickupPointKind Kind, string Name, long? RouteId, int? Position);

/// <summary>Appointments per pickup point, local day of their slot (<c>Day</c>: days since 1970-01-01) and status.</summary>
internal sealed class AppointmentCount
{
    public long PickupPointId { get; init; }
    public long Day { get; init; }
    public AppointmentStatus Status { get; init; }
    public int N { get; init; }
    public DateOnly Date => LocalTimeSql.DateOf(Day);
}

/// <summary>Appointments that took a place, per pickup point, local ISO weekday and hour of their slot.</summary>
internal sealed class BookedCount
{
    public long PickupPointId { get; init; }
    public int Weekday { get; init; }
    public int Hour { get; init; }
    public int N { get; init; }
}

/// <summary>Holds placed per pickup point, local day (<c>Day</c>: days since 1970-01-01) and channel.</summary>
internal sealed class HoldCount
{
    public long PickupPointId { get; init; }
    public long Day { get; init; }
    public HoldChannel Channel { get; init; }
    public int N { get; init; }
    public DateOnly Date => LocalTimeSql.DateOf(Day);
}

/// <summary>How many durations (hand-overs, selection waits) lasted this many whole seconds.</summary>
internal sealed class DurationCount
{
    public long Seconds { get; init; }
    public int N { get; init; }
}

internal sealed class SelectionCount
{
    public SelectionStatus Status { get; init; }
    public int N { get; init; }
}

internal sealed class SmsCount
{
    public SmsStatus Status { get; init; }
    public int N { get; init; }
    public int Segments { get; init; }
}

/// <summary>Turns the rows read for a range into the figures. Pure: no clock, no I/O.</summary>
internal static class FiguresCalculator
{
    public static FiguresResponse Compute(FiguresData data, DateOnly from, DateOnly to, long? pickupPointId)
    {
        var zone = data.Zone;

        // Appointments: totals and per week, by the local day of their slot.
        var appointments = data.Appointments.Where(a => InRange(a.Date, from, to)).ToList();
        var weeks = new SortedDictionary<DateOnly, int[]>();
        for (var week = WeekStart(from); week <= to; week = week.AddDays(7)) weeks[week] = new int[5];
        foreach (var a in appointments) Tally(weeks[WeekStart(a.Date)], a.Status, a.N);
        var total = new int[5];
        foreach (var a in appointments) Tally(total, a.Status, a.N);

        // Reservations per local day and channel.
        var days = new SortedDictionary<DateOnly, int[]>();
        for (var d = from; d <= to; d = d.AddDays(1)) days[d] = new int[4];
        var holds = data.Holds.Where(h => InRange(h.Date, from, to)).ToList();
        foreach (var h in holds) days[h.Date][(int)h.Channel] += h.N;
        var channels = new int[4];
        foreach (var counts in days.Values)
            for (var c = 0; c < 4; c++) channels[c] += counts[c];

        return new FiguresResponse(from, to, pickupPointId, zone.Id,
            new AppointmentFigures(total[0], total[1], total[2], total[3], total[4], Rate(total[2], total[1])),
            new HoldFigures(Channels(channels), channels.Sum()),
            days.Select(d => new DayReservations(d.Key, d.Value[0], d.Value[1], d.Value[2], d.Value[3])).ToList(),
            weeks.Select(w => new WeekOutcomes(w.Key, w.Value[0], w.Value[1], w.Value[2], w.Value[3], Rate(w.Value[2], w.Value[1]))).ToList(),
            Occupancy(data),
            HandOver(data.HandOvers),
            data.NotFound,
            StopDemand(data, appointments, holds),
            Selections(data.Selections, data.SelectionWaits),
            Sms(data.Sms));
    }

    // total[0] booked (all), [1] completed, [2] noShow, [3] cancelled, [4] pending (still active).
    static void Tally(int[] counts, AppointmentStatus status, int n)
    {
        counts[0] += n;
        switch (status)
        {
            case AppointmentStatus.Completed: counts[1] += n; break;
            case AppointmentStatus.NoShow: counts[2] += n; break;
            case AppointmentStatus.Cancelled: counts[3] += n; break;
            default: counts[4] += n; break;
        }
    }

    static ChannelCounts Channels(int[] c) => new(c[(int)HoldChannel.Web], c[(int)HoldChannel.Phone], c[(int)HoldChannel.Sms], c[(int)HoldChannel.Selection]);

    /// <summary>noShow / (completed + noShow), rounded to 4 decimals; 0 when nothing ended yet.</summary>
    public static double Rate(int noShow, int completed) => noShow + completed == 0 ? 0 : Math.Round((double)noShow / (noShow + completed), 4);

    static bool InRange(DateOnly date, DateOnly from, DateOnly to) => from <= date && date <= to;

    public static DateOnly WeekStart(DateOnly date) => date.AddDays(1 - SlotCalculator.IsoWeekday(date));

    static List<OccupancyCell> Occupancy(FiguresData data)
    {
        var cells = new SortedDictionary<(long Point, int Weekday, int Hour), int[]>();
        int[] Cell(long point, int weekday, int hour)
        {
            if (!cells.TryGetValue((point, weekday, hour), out var cell)) cells[(point, weekday, hour)] = cell = new int[2];
            return cell;
        }
        foreach (var (point, slots) in data.OfferedSlots)
            foreach (var slot in slots)
            {
                var local = TimeZoneInfo.ConvertTime(slot.Start, data.Zone).DateTime;
                Cell(point, SlotCalculator.IsoWeekday(DateOnly.FromDateTime(local)), local.Hour)[0] += slot.Capacity;
            }
        foreach (var b in data.Booked) Cell(b.PickupPointId, b.Weekday, b.Hour)[1] += b.N;
        return cells.Select(c => new OccupancyCell(c.Key.Point, c.Key.Weekday, c.Key.Hour, c.Value[0], c.Value[1])).ToList();
    }

    static HandOverFigures HandOver(IReadOnlyList<DurationCount> durations)
    {
        var minutes = Weighted(durations, 60);
        return new HandOverFigures(durations.Sum(d => d.N), PercentileOfCounts(minutes, 0.5), PercentileOfCounts(minutes, 0.9));
    }

    static List<StopDemand> StopDemand(FiguresData data, List<AppointmentCount> appointments, List<HoldCount> holdsInRange)
    {
        var holds = holdsInRange.GroupBy(h => h.PickupPointId).ToDictionary(g => g.Key, g => g.Sum(h => h.N));
        var booked = appointments.GroupBy(a => a.PickupPointId).ToDictionary(g => g.Key, g => g.Sum(a => a.N));
        return data.Points.Where(p => p.Kind == PickupPointKind.BibliobusStop)
            .OrderBy(p => p.RouteId).ThenBy(p => p.Position)
            .Select(p => new StopDemand(p.Id, p.Name, holds.GetValueOrDefault(p.Id), booked.GetValueOrDefault(p.Id)))
            .ToList();
    }

    static SelectionFigures Selections(IReadOnlyList<SelectionCount> rows, IReadOnlyList<DurationCount> waits)
    {
        int Count(SelectionStatus status) => rows.Where(r => r.Status == status).Sum(r => r.N);
        var hours = Weighted(waits, 3600);
        return new SelectionFigures(rows.Sum(r => r.N), Count(SelectionStatus.Confirmed), Count(SelectionStatus.Cancelled),
            PercentileOfCounts(hours, 0.5), PercentileOfCounts(hours, 0.9));
    }

    /// <summary>Durations counted per whole second, as (value in <paramref name="unit"/> seconds, how many), sorted.</summary>
    static List<(double Value, int Count)> Weighted(IReadOnlyList<DurationCount> durations, double unit) =>
        durations.OrderBy(d => d.Seconds).Select(d => (d.Seconds / unit, d.N)).ToList();

    static SmsFigures Sms(IReadOnlyList<SmsCount> rows)
    {
        int Count(params SmsStatus[] statuses) => rows.Where(r => statuses.Contains(r.Status)).Sum(r => r.N);
        SmsStatus[] sent = [SmsStatus.Sent, SmsStatus.Delivered, SmsStatus.Undelivered];
        return new SmsFigures(rows.Sum(r => r.N), Count(sent), Count(SmsStatus.Delivered), Count(SmsStatus.Failed, SmsStatus.Undelivered),
            Count(SmsStatus.Skipped, SmsStatus.NotConfigured), rows.Where(r => sent.Contains(r.Status)).Sum(r => r.Segments));
    }

    /// <summary>
    /// The <paramref name="p"/>-quantile with linear interpolation between closest ranks (spreadsheets'
    /// PERCENTILE.INC): the median of 10, 20, 30, 40 is 25. Rounded to 0.1; null without values.
    /// </summary>
    public static double? Percentile(IReadOnlyCollection<double> values, double p) =>
        PercentileOfCounts(values.Order().Select(v => (v, 1)).ToList(), p);

    /// <summary>The same over values given with how many times each occurs (<paramref name="sorted"/> by value), as the database counts them.</summary>
    public static double? PercentileOfCounts(IReadOnlyList<(double Value, int Count)> sorted, double p)
    {
        var n = sorted.Sum(v => (long)v.Count);
        if (n == 0) return null;
        var rank = p * (n - 1);
        var low = (long)Math.Floor(rank);
        double At(long index)
        {
            foreach (var (value, count) in sorted)
            {
                if (index < count) return value;
                index -= count;
            }
            return sorted[^1].Value;
        }
        var lowValue = At(low);
        var highValue = At(Math.Min(low + 1, n - 1));
        return Math.Round(lowValue + (rank - low) * (highValue - lowValue), 1);
    }
}
