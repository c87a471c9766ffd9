using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Concurrency;

/// <summary>
/// DESIGN: "a slot never holds more appointments than its capacity" and "a copy is allocated to at
/// most one active hold, ever — under any concurrency", on SQLite and on PostgreSQL.
/// </summary>
public abstract class ReservationRaceTests<TDb> where TDb : ITestDatabase, new()
{
    const string Slot = "2026-03-11T09:00:00+00:00";

    internal static async Task<long> SlotOfCapacityAsync(TestApp app, int capacity)
    {
        var point = await PickupPointIdAsync(app, Quarter);
        var director = await app.StaffClientAsync("director");
        await ReadAsync(await director.PutAsJsonAsync($"/api/pickup-points/{point}/opening", new
        {
            leadTimeMinutes = 60,
            horizonDays = 14,
            pickupOpenDays = 5,
            stopSlotMinutes = 30,
            stopSlotCapacity = 4,
            windows = new[] { new { weekday = 3, startsAt = "10:00:00", endsAt = "12:00:00", slotMinutes = 30, capacity } },
        }), HttpStatusCode.OK);
        return point;
    }

    static async Task<long> CountAsync(TestApp app, string sql, object args)
    {
        await using var c = await app.Service<ClickCollect.Api.Infrastructure.Database.Db>().OpenAsync(default);
        return await c.ExecuteScalarAsync<long>(sql, args);
    }

    [Fact]
    public async Task Two_hundred_parallel_bookings_for_a_slot_of_five_admit_exactly_five()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var point = await SlotOfCapacityAsync(app, 5);
        var (title, _) = await TitleAsync(app, [.. Enumerable.Repeat("PRES", 200)]);
        var crowd = await CrowdAsync(app, 200);
        var holds = new long[200];
        for (var i = 0; i < crowd.Count; i++)
            holds[i] = (await ReadAsync(await crowd[i].PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created)).GetProperty("id").GetInt64();

        var responses = await Task.WhenAll(crowd.Select((client, i) => Task.Run(() =>
            client.PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Slot, holdIds = new[] { holds[i] } }))));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(195, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(5, await CountAsync(app, "select count(*) from appointments where pickup_point_id = @point and status = 'booked'", new { point }));
    }

    [Fact]
    public async Task Fifty_patrons_racing_for_the_only_copy_yield_one_allocation_and_forty_nine_queued_holds()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (title, copies) = await TitleAsync(app, "CENTRALE");
        var crowd = await CrowdAsync(app, 50);

        var responses = await Task.WhenAll(crowd.Select(client => Task.Run(() =>
            client.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var statuses = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()));
        Assert.Equal(1, statuses.Count(s => s == "toPick"));
        Assert.Equal(49, statuses.Count(s => s == "queued"));
        Assert.Equal(1, await CountAsync(app, "select count(*) from holds where copy_id = @copy", new { copy = copies[0] }));
        Assert.Equal(49, await CountAsync(app, "select count(*) from holds where title_id = @title and status = 'queued'", new { title }));
    }

    [Fact]
    public async Task Cancelling_and_booking_at_once_never_leaves_the_count_wrong()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var point = await SlotOfCapacityAsync(app, 2);
        var (title, _) = await TitleAsync(app, [.. Enumerable.Repeat("PRES", 40)]);
        var crowd = await CrowdAsync(app, 40);
        var holds = new long[40];
        for (var i = 0; i < crowd.Count; i++)
            holds[i] = (await ReadAsync(await crowd[i].PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var first = new List<long>();
        for (var i = 0; i < 2; i++)
            first.Add((await ReadAsync(await crowd[i].PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Slot, holdIds = new[] { holds[i] } }), HttpStatusCode.Created)).GetProperty("id").GetInt64());

        var cancels = first.Select((id, i) => Task.Run(() => crowd[i].DeleteAsync($"/api/appointments/{id}")));
        var bookings = Enumerable.Range(2, 38).Select(i => Task.Run(() =>
            crowd[i].PostAsJsonAsync("/api/appointments", new { pickupPointId = point, slotStart = Slot, holdIds = new[] { holds[i] } })));
        await Task.WhenAll(cancels);
        var results = await Task.WhenAll(bookings);

        var active = await CountAsync(app, "select count(*) from appointments where pickup_point_id = @point and status = 'booked'", new { point });
        Assert.True(active <= 2, $"{active} appointments in a slot of 2");
        Assert.Equal(results.Count(r => r.StatusCode == HttpStatusCode.Created), active);
        Assert.Equal(2, await CountAsync(app, "select count(*) from appointments where pickup_point_id = @point and status = 'cancelled'", new { point }));
    }
}

public sealed class ReservationRaceTests_Sqlite : ReservationRaceTests<SqliteTestDatabase>;
public sealed class ReservationRaceTests_Postgres : ReservationRaceTests<PostgresTestDatabase>;
