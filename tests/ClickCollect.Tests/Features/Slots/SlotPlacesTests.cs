using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Concurrency;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Slots;

/// <summary>
/// The places taken per slot (slot_places, #17) that the calendar shows and a booking checks, against the appointments
/// counted live, after each change of an appointment: booking, joining, a full slot, moving, cancelling (by the patron
/// and through a cancelled hold), arrival, hand-over, no-show, retention, the demo's history, and bookings and
/// cancellations racing.
/// </summary>
public abstract class SlotPlacesTests<TDb> where TDb : ITestDatabase, new()
{
    // Wednesday 11 March 2026, 10:00 and 10:30 in Paris, in a window of 30-minute slots.
    const string Ten = "2026-03-11T09:00:00+00:00", TenThirty = "2026-03-11T09:30:00+00:00";

    /// <summary>The slots whose count and live count differ, both ways ("point slot n"); empty when they agree.</summary>
    static async Task<List<string>> MismatchesAsync(TestApp app)
    {
        const string Live = $"""
            select pickup_point_id, slot_start, count(*) as n from appointments where status in {AppointmentStatuses.TakingPlaceSql}
            group by pickup_point_id, slot_start
            """;
        const string Kept = "select pickup_point_id, slot_start, taken as n from slot_places where taken > 0";
        await using var c = await app.Service<Db>().OpenAsync(default);
        var missing = await c.QueryAsync<Count>($"{Live} except {Kept}");
        var extra = await c.QueryAsync<Count>($"{Kept} except {Live}");
        return [.. missing.Select(m => $"counted live {m}"), .. extra.Select(e => $"kept {e}")];
    }

    sealed record Count
    {
        public long PickupPointId { get; init; }
        public DateTimeOffset SlotStart { get; init; }
        public long N { get; init; }
    }

    static async Task AgreeAsync(TestApp app, string after) =>
        Assert.True((await MismatchesAsync(app)) is [], $"after {after}: {string.Join("; ", await MismatchesAsync(app))}");

    static Task<HttpResponseMessage> BookAsync(HttpClient patron, long point, string slot, params long[] holds) =>
        patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = slot, holdIds = holds });

    static async Task<long> BookedAsync(HttpClient patron, long point, string slot, params long[] holds) =>
        (await ReadAsync(await BookAsync(patron, point, slot, holds), HttpStatusCode.Created)).GetProperty("id").GetInt64();

    [Fact]
    public async Task Every_change_of_an_appointment_keeps_the_places_taken_equal_to_the_live_count()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var point = await ReservationRaceTests<TDb>.SlotOfCapacityAsync(app, 3);
        var (title, _) = await TitleAsync(app, [.. Enumerable.Repeat("PRES", 14)]);
        var (another, _) = await TitleAsync(app, "PRES");
        var crowd = await CrowdAsync(app, 14);
        var holds = new long[crowd.Count + 1];
        for (var i = 0; i < holds.Length; i++)
            holds[i] = (await ReadAsync(await crowd[i % crowd.Count].PostAsJsonAsync("/api/holds", new { titleId = i < crowd.Count ? title : another, pickupPointId = point }),
                HttpStatusCode.Created)).GetProperty("id").GetInt64(); // the last one is a second hold of patron 0

        var a = new long[5];
        for (var i = 0; i < 3; i++) a[i] = await BookedAsync(crowd[i], point, Ten, holds[i]);
        await AgreeAsync(app, "three bookings");
        await ReadAsync(await BookAsync(crowd[3], point, Ten, holds[3]), HttpStatusCode.Conflict); // full: nothing taken
        await AgreeAsync(app, "a refusal");
        Assert.True((await BookAsync(crowd[0], point, Ten, holds[^1])).IsSuccessStatusCode); // joins their appointment: no new place
        await AgreeAsync(app, "a join");

        a[3] = await BookedAsync(crowd[3], point, TenThirty, holds[3]);
        await ReadAsync(await crowd[3].PostAsJsonAsync($"/api/appointments/{a[3]}/move", new { slotStart = Ten }), HttpStatusCode.Conflict); // full
        await AgreeAsync(app, "a refused move");
        await ReadAsync(await crowd[1].PostAsJsonAsync($"/api/appointments/{a[1]}/move", new { slotStart = TenThirty }), HttpStatusCode.OK); // later
        await ReadAsync(await crowd[3].PostAsJsonAsync($"/api/appointments/{a[3]}/move", new { slotStart = Ten }), HttpStatusCode.OK); // earlier
        await AgreeAsync(app, "two moves");

        await ReadAsync(await crowd[2].DeleteAsync($"/api/appointments/{a[2]}"), HttpStatusCode.OK);
        await ReadAsync(await crowd[2].DeleteAsync($"/api/appointments/{a[2]}"), HttpStatusCode.Conflict); // twice: freed once
        a[4] = await BookedAsync(crowd[4], point, Ten, holds[4]);
        await ReadAsync(await crowd[4].DeleteAsync($"/api/holds/{holds[4]}"), HttpStatusCode.OK); // its appointment, emptied, is cancelled
        await AgreeAsync(app, "cancellations");

        var store = app.Service<AppointmentStore>();
        var db = app.Service<Db>();
        var ten = DateTimeOffset.Parse(Ten);
        await db.WriteAsync(uow => store.ArriveAsync(uow, a[0], ten, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15), default), default);
        await db.WriteAsync(uow => store.CompleteAsync(uow, a[0], ten.AddMinutes(5), default), default);
        await AgreeAsync(app, "an arrival and a hand-over");
        Assert.True(await store.MarkNoShowsAsync(ten.AddDays(1), TimeSpan.FromMinutes(15), default) > 0);
        await AgreeAsync(app, "no-shows");
        await db.WriteAsync(async uow => await AppointmentStore.UnlinkFinishedAsync(uow, await PatronStore.AnonymousIdAsync(uow, ten, default),
            ten.AddDays(2), null, default), default);
        await AgreeAsync(app, "retention");
        var patron = (await app.Service<PatronStore>().FindByCardAsync("P0001", default))!.Id;
        foreach (var status in new[] { "completed", "cancelled" })
            await db.WriteAsync(uow => AppointmentStore.InsertPastAsync(uow, new(patron, point, ten.AddDays(-7), ten.AddDays(-7).AddMinutes(30), status,
                "web", ten.AddDays(-8), null, ten.AddDays(-7), holds[0]), default), default);
        await AgreeAsync(app, "the demo's history");

        // Bookings and cancellations at once, in two slots of 3: never more than 3, and the count agrees.
        var open = (await Task.WhenAll(Enumerable.Range(5, 3).Select(i => BookedAsync(crowd[i], point, "2026-03-11T10:00:00+00:00", holds[i])))).ToList();
        var racing = Enumerable.Range(8, 6).Select(i => BookAsync(crowd[i], point, i % 2 == 0 ? "2026-03-11T10:00:00+00:00" : "2026-03-11T10:30:00+00:00", holds[i]))
            .Concat(open.Take(2).Select((id, n) => crowd[5 + n].DeleteAsync($"/api/appointments/{id}")));
        await Task.WhenAll(racing);
        await AgreeAsync(app, "bookings and cancellations racing");

        // The calendar shows the count.
        var slots = await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{point}/slots?from=2026-03-11&to=2026-03-11");
        await using var c = await db.OpenAsync(default);
        foreach (var slot in slots!)
        {
            var start = DateTimeOffset.Parse(slot.GetProperty("start").GetString()!);
            var live = await c.ExecuteScalarAsync<long>($"""
                select count(*) from appointments where pickup_point_id = @point and slot_start = @start and status in {AppointmentStatuses.TakingPlaceSql}
                """, new { point, start });
            Assert.Equal(live, slot.GetProperty("booked").GetInt32());
            Assert.True(live <= 3, $"{live} in {start}");
        }
    }
}

public sealed class SlotPlacesTests_Sqlite : SlotPlacesTests<SqliteTestDatabase>;
public sealed class SlotPlacesTests_Postgres : SlotPlacesTests<PostgresTestDatabase>;
