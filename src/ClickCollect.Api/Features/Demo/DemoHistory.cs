using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Loans;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Features.SurpriseSelections;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Demo;

/// <summary>
/// Four weeks of past activity for the demo (issue 11), so the figures and the lockdown previews show
/// something on <c>make run</c>: appointments in the real opening hours with realistic no-shows (a quarter
/// of the booked, as the seed libraries saw), the holds behind them by channel, loans handed over and
/// returned, hand-over times after "I'm here", surprise selections, SMS and a few copies not found.
/// Only what is over: nothing here holds a copy or a place today. Deterministic (seeded Random).
/// </summary>
internal sealed class DemoHistory(Db db, SlotStore slots, TimeProvider clock)
{
    public const int Days = 28;

    sealed class Point { public long Id { get; init; } public long BranchId { get; init; } }

    public async Task WriteAsync(CancellationToken ct)
    {
        var random = new Random(2020);
        var now = clock.GetUtcNow();
        // The calendars first, on their own connections: nothing reads while the unit of work below writes.
        List<Point> points;
        await using (var c = await db.OpenAsync(ct))
            points = (await c.QueryAsync<Point>(new CommandDefinition("select pickup_point_id as id, branch_id from pickup_point_branches order by pickup_point_id", cancellationToken: ct))).AsList();
        var calendars = new List<(Point Point, PickupCalendar Calendar)>();
        foreach (var point in points)
            if (await slots.LoadAsync(point.Id, ct) is { } calendar) calendars.Add((point, calendar));
        await using var uow = await db.WriteAsync(ct);
        var patrons = (await uow.QueryAsync<long>("select id from patrons order by id", null, ct)).ToList();
        var staff = await uow.QuerySingleAsync<long>("select min(id) from staff", null, ct);
        foreach (var (point, calendar) in calendars)
        {
            var copies = (await uow.QueryAsync<(long Id, long TitleId)>(
                "select id, title_id from copies where branch_id = @BranchId and status = 'onShelf' order by id", new { point.BranchId }, ct)).ToList();
            if (copies.Count == 0) continue;
            var today = calendar.Today(now);
            foreach (var slot in calendar.Slots(today.AddDays(-Days), today.AddDays(-1)))
            {
                var local = TimeZoneInfo.ConvertTime(slot.Start, calendar.Zone);
                // Saturdays and late afternoons fill up; weekday mornings less so.
                var busy = (local.DayOfWeek == DayOfWeek.Saturday ? 0.8 : 0.45) + (local.Hour >= 16 ? 0.15 : 0);
                var count = Enumerable.Range(0, slot.Capacity).Count(_ => random.NextDouble() < busy);
                for (var n = 0; n < count; n++)
                    await AppointmentAsync(uow, random, point.Id, slot, patrons[random.Next(patrons.Count)], copies[random.Next(copies.Count)], staff, now, ct);
            }
        }
        await SelectionsAsync(uow, random, points[0].Id, patrons, now, ct);
        await uow.CommitAsync(ct);
    }

    static readonly string[] Channels = ["web", "web", "web", "web", "web", "phone", "phone", "phone", "sms", "selection"];

    async Task AppointmentAsync(UnitOfWork uow, Random random, long point, Slot slot, long patron, (long Id, long TitleId) copy, long staff,
        DateTimeOffset now, CancellationToken ct)
    {
        var roll = random.NextDouble();
        var status = roll < 0.62 ? "completed" : roll < 0.85 ? "noShow" : "cancelled";
        var channel = Channels[random.Next(Channels.Length)];
        var placed = slot.Start.AddHours(-random.Next(20, 96));
        DateTimeOffset? arrived = status == "completed" && random.NextDouble() < 0.7 ? slot.Start.AddMinutes(random.Next(-5, 12)) : null;
        var closed = status switch
        {
            "completed" => (arrived ?? slot.Start).AddMinutes(random.Next(2, 16)),
            "noShow" => slot.End.AddMinutes(30),
            _ => slot.Start.AddHours(-random.Next(2, 20)),
        };
        var holdStatus = status switch { "completed" => "collected", "noShow" => "expired", _ => "cancelled" };
        var holdId = await HoldStore.InsertPastAsync(uow, new(patron, copy.TitleId, copy.Id, point, holdStatus, channel,
            channel == "phone" ? staff : null, placed, closed), ct);
        await AppointmentStore.InsertPastAsync(uow, new(patron, point, slot.Start, slot.End, status, channel == "selection" ? "web" : channel,
            placed, arrived, closed, holdId), ct);
        // The booking's SMS: most delivered, a few failed; accents make many of them two segments.
        var sms = random.NextDouble();
        await OutboxStore.InsertPastAsync(uow, patron, "appointmentBooked", "Rendez-vous confirmé (démo).", random.Next(1, 3),
            sms < 0.9 ? "delivered" : sms < 0.95 ? "undelivered" : "failed", placed, ct);
        if (status == "completed")
        {
            var loanedOn = DateOnly.FromDateTime(slot.Start.UtcDateTime);
            var returnedOn = loanedOn.AddDays(random.Next(7, 21));
            if (returnedOn < DateOnly.FromDateTime(now.UtcDateTime))
                await LoanStore.InsertPastAsync(uow, patron, copy.Id, loanedOn, loanedOn.AddDays(28), returnedOn, closed, ct);
        }
        else if (status == "noShow" && random.NextDouble() < 0.1)
            await HoldStore.InsertPastNotFoundAsync(uow, holdId, copy.Id, point, staff, placed.AddHours(2), ct);
    }

    static async Task SelectionsAsync(UnitOfWork uow, Random random, long point, List<long> patrons, DateTimeOffset now, CancellationToken ct)
    {
        for (var n = 0; n < 12; n++)
        {
            var opens = now.AddDays(-random.Next(2, Days)).AddHours(-random.Next(0, 8));
            var confirmed = n % 6 != 5;
            var at = opens.AddHours(random.Next(2, 40));
            await SelectionStore.InsertPastAsync(uow, new(patrons[random.Next(patrons.Count)], point, 3, "adult", """["Roman policier"]""",
                "Des polars, pas trop sanglants (démo).", opens, confirmed ? "confirmed" : "cancelled", at,
                confirmed ? at : null, confirmed ? null : at), ct);
        }
    }
}
