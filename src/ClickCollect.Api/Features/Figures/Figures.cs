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

/// <summary>What the store reads; everything else is computed by <see cref="FiguresCalculator"/>.</summary>
internal sealed record FiguresData(
    TimeZoneInfo Zone,
    IReadOnlyList<FigurePoint> Points,
    IReadOnlyList<AppointmentCount> Appointments,
    IReadOnlyList<HoldCount> Holds,
    IReadOnlyList<TimeSpan> HandOvers,
    int NotFound,
    IReadOnlyList<SelectionRow> Selections,
    IReadOnlyList<SmsCount> Sms,
    IReadOnlyDictionary<long, IReadOnlyList<Slot>> OfferedSlots);

internal sealed record FigurePoint(long Id, PickupPointKind Kind, string Name, long? RouteId, int? Position);

internal sealed class AppointmentCount
{
    public long PickupPointId { get; init; }
    public DateTimeOffset SlotStart { get; init; }
    public AppointmentStatus Status { get; init; }
    public int N { get; init; }
}

/// <summary>Holds placed in one UTC hour (<c>Hour</c>: "yyyy-MM-dd HH"), per pickup point and channel.</summary>
internal sealed class HoldCount
{
    public long PickupPointId { get; init; }
    public string Hour { get; init; } = "";
    public HoldChannel Channel { get; init; }
    public int N { get; init; }
}

internal sealed class SelectionRow
{
    public DateTimeOffset OpensAt { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }
    public SelectionStatus Status { get; init; }
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
        var localStart = new Dictionary<DateTimeOffset, DateTime>();
        DateTime Local(DateTimeOffset instant)
        {
            if (!localStart.TryGetValue(instant, out var local))
                localStart[instant] = local = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
            return local;
        }

        // Appointments: totals, per week, and the places they took.
        var appointments = data.Appointments.Where(a => InRange(DateOnly.FromDateTime(Local(a.SlotStart)), from, to)).ToList();
        var weeks = new SortedDictionary<DateOnly, int[]>();
        for (var week = WeekStart(from); week <= to; week = week.AddDays(7)) weeks[week] = new int[5];
        foreach (var a in appointments)
            Tally(weeks[WeekStart(DateOnly.FromDateTime(Local(a.SlotStart)))], a.Status, a.N);
        var total = new int[5];
        foreach (var a in appointments) Tally(total, a.Status, a.N);

        // Reservations per local day and channel.
        var days = new SortedDictionary<DateOnly, int[]>();
        for (var d = from; d <= to; d = d.AddDays(1)) days[d] = new int[4];
        foreach (var h in data.Holds)
        {
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(ParseHour(h.Hour), zone).DateTime);
            if (days.TryGetValue(day, out var counts)) counts[(int)h.Channel] += h.N;
        }
        var channels = new int[4];
        foreach (var counts in days.Values)
            for (var c = 0; c < 4; c++) channels[c] += counts[c];

        return new FiguresResponse(from, to, pickupPointId, zone.Id,
            new AppointmentFigures(total[0], total[1], total[2], total[3], total[4], Rate(total[2], total[1])),
            new HoldFigures(Channels(channels), channels.Sum()),
            days.Select(d => new DayReservations(d.Key, d.Value[0], d.Value[1], d.Value[2], d.Value[3])).ToList(),
            weeks.Select(w => new WeekOutcomes(w.Key, w.Value[0], w.Value[1], w.Value[2], w.Value[3], Rate(w.Value[2], w.Value[1]))).ToList(),
            Occupancy(data, appointments, Local, from, to),
            HandOver(data.HandOvers),
            data.NotFound,
            StopDemand(data, appointments, days.Keys.ToHashSet(), zone),
            Selections(data.Selections),
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

    static DateTimeOffset ParseHour(string hour) =>
        new(int.Parse(hour[..4]), int.Parse(hour[5..7]), int.Parse(hour[8..10]), int.Parse(hour[11..13]), 0, 0, TimeSpan.Zero);

    static List<OccupancyCell> Occupancy(FiguresData data, List<AppointmentCount> appointments, Func<DateTimeOffset, DateTime> local,
        DateOnly from, DateOnly to)
    {
        var cells = new SortedDictionary<(long Point, int Weekday, int Hour), int[]>();
        int[] Cell(long point, DateTime at)
        {
            var key = (point, SlotCalculator.IsoWeekday(DateOnly.FromDateTime(at)), at.Hour);
            if (!cells.TryGetValue(key, out var cell)) cells[key] = cell = new int[2];
            return cell;
        }
        foreach (var (point, slots) in data.OfferedSlots)
            foreach (var slot in slots)
                Cell(point, local(slot.Start))[0] += slot.Capacity;
        foreach (var a in appointments.Where(a => AppointmentStatuses.TakingPlace.Contains(a.Status)))
            Cell(a.PickupPointId, local(a.SlotStart))[1] += a.N;
        return cells.Select(c => new OccupancyCell(c.Key.Point, c.Key.Weekday, c.Key.Hour, c.Value[0], c.Value[1])).ToList();
    }

    static HandOverFigures HandOver(IReadOnlyList<TimeSpan> durations)
    {
        var minutes = durations.Select(d => d.TotalMinutes).ToList();
        return new HandOverFigures(minutes.Count, Percentile(minutes, 0.5), Percentile(minutes, 0.9));
    }

    static List<StopDemand> StopDemand(FiguresData data, List<AppointmentCount> appointments, HashSet<DateOnly> days, TimeZoneInfo zone)
    {
        var holds = data.Holds
            .Where(h => days.Contains(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(ParseHour(h.Hour), zone).DateTime)))
            .GroupBy(h => h.PickupPointId).ToDictionary(g => g.Key, g => g.Sum(h => h.N));
        var booked = appointments.GroupBy(a => a.PickupPointId).ToDictionary(g => g.Key, g => g.Sum(a => a.N));
        return data.Points.Where(p => p.Kind == PickupPointKind.BibliobusStop)
            .OrderBy(p => p.RouteId).ThenBy(p => p.Position)
            .Select(p => new StopDemand(p.Id, p.Name, holds.GetValueOrDefault(p.Id), booked.GetValueOrDefault(p.Id)))
            .ToList();
    }

    static SelectionFigures Selections(IReadOnlyList<SelectionRow> rows)
    {
        var waits = rows.Where(r => r.Status == SelectionStatus.Confirmed && r.ConfirmedAt is not null)
            .Select(r => (r.ConfirmedAt!.Value - r.OpensAt).TotalHours).ToList();
        return new SelectionFigures(rows.Count, rows.Count(r => r.Status == SelectionStatus.Confirmed),
            rows.Count(r => r.Status == SelectionStatus.Cancelled), Percentile(waits, 0.5), Percentile(waits, 0.9));
    }

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
    public static double? Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return Math.Round(sorted[low] + (rank - low) * (sorted[high] - sorted[low]), 1);
    }
}
