using System.Globalization;
using ClickCollect.Api.Infrastructure.Csv;

namespace ClickCollect.Api.Features.Figures;

/// <summary>
/// Each table of the figures as CSV (<c>?format=csv&amp;table=…</c>): UTF-8 with a BOM so spreadsheets
/// open accents right, one header row, RFC 4180 quoting, numbers with a dot.
/// </summary>
internal static class FiguresCsv
{
    public static readonly string[] Tables =
        ["summary", "appointments", "reservations", "outcomes", "occupancy", "handOver", "stopDemand", "selections", "sms"];

    public static byte[] Render(FiguresResponse f, string table)
    {
        var rows = table switch
        {
            "appointments" => Rows(["booked", "completed", "noShow", "cancelled", "pending", "noShowRate"],
                [[f.Appointments.Booked, f.Appointments.Completed, f.Appointments.NoShow, f.Appointments.Cancelled, f.Appointments.Pending,
                    f.Appointments.NoShowRate]]),
            "reservations" => Rows(["date", "web", "phone", "sms", "selection", "total"],
                f.ReservationsPerDay.Select(d => new object?[] { d.Date, d.Web, d.Phone, d.Sms, d.Selection, d.Web + d.Phone + d.Sms + d.Selection })),
            "outcomes" => Rows(["weekStart", "booked", "completed", "noShow", "cancelled", "noShowRate"],
                f.OutcomesPerWeek.Select(w => new object?[] { w.WeekStart, w.Booked, w.Completed, w.NoShow, w.Cancelled, w.NoShowRate })),
            "occupancy" => Rows(["pickupPointId", "weekday", "hour", "capacity", "booked"],
                f.Occupancy.Select(o => new object?[] { o.PickupPointId, o.Weekday, o.Hour, o.Capacity, o.Booked })),
            "handOver" => Rows(["count", "medianMinutes", "p90Minutes"], [[f.HandOver.Count, f.HandOver.MedianMinutes, f.HandOver.P90Minutes]]),
            "stopDemand" => Rows(["pickupPointId", "name", "holds", "appointments"],
                f.StopDemand.Select(s => new object?[] { s.PickupPointId, s.Name, s.Holds, s.Appointments })),
            "selections" => Rows(["received", "confirmed", "cancelled", "medianWaitHours", "p90WaitHours"],
                [[f.Selections.Received, f.Selections.Confirmed, f.Selections.Cancelled, f.Selections.MedianWaitHours, f.Selections.P90WaitHours]]),
            "sms" => Rows(["queued", "sent", "delivered", "failed", "notSent", "segments"],
                [[f.Sms.Queued, f.Sms.Sent, f.Sms.Delivered, f.Sms.Failed, f.Sms.NotSent, f.Sms.Segments]]),
            _ => Rows(["figure", "value"], Summary(f)),
        };
        return rows;
    }

    static IEnumerable<object?[]> Summary(FiguresResponse f) =>
    [
        ["from", f.From], ["to", f.To], ["pickupPointId", f.PickupPointId], ["timeZone", f.TimeZone],
        ["appointments.booked", f.Appointments.Booked], ["appointments.completed", f.Appointments.Completed],
        ["appointments.noShow", f.Appointments.NoShow], ["appointments.cancelled", f.Appointments.Cancelled],
        ["appointments.pending", f.Appointments.Pending], ["appointments.noShowRate", f.Appointments.NoShowRate],
        ["holds.web", f.Holds.ByChannel.Web], ["holds.phone", f.Holds.ByChannel.Phone], ["holds.sms", f.Holds.ByChannel.Sms],
        ["holds.selection", f.Holds.ByChannel.Selection], ["holds.total", f.Holds.Total],
        ["handOver.count", f.HandOver.Count], ["handOver.medianMinutes", f.HandOver.MedianMinutes], ["handOver.p90Minutes", f.HandOver.P90Minutes],
        ["notFound", f.NotFound],
        ["selections.received", f.Selections.Received], ["selections.confirmed", f.Selections.Confirmed],
        ["selections.medianWaitHours", f.Selections.MedianWaitHours],
        ["sms.sent", f.Sms.Sent], ["sms.failed", f.Sms.Failed], ["sms.segments", f.Sms.Segments],
    ];

    static byte[] Rows(string[] header, IEnumerable<object?[]> rows) => CsvExport.Render(header, rows.Select(row => row.Select(Field)));

    static string Field(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
