using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;

namespace ClickCollect.Tests.Features.Slots;

/// <summary>
/// #17: the slot calendar caches the places taken per pickup point and period (SlotPlacesCache). On PostgreSQL, with
/// several app instances on one database, a change made on one instance reaches the others by a NOTIFY sent after the COMMIT,
/// and while an instance's listener is not connected its calendar reads the database each time. (The same-instance
/// rule, on both databases: SlotsTests.A_place_taken_or_freed_shows_at_once_in_a_calendar_already_computed.)
/// </summary>
public sealed class SlotPlacesCacheTests_Postgres
{
    const string Wednesday11 = "2026-03-11T09:00:00+00:00", Wednesday1115 = "2026-03-11T09:15:00+00:00";
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>Asks again (no fixed sleep, at most <see cref="Bound"/>) until <paramref name="done"/> holds.</summary>
    static async Task EventuallyAsync(Func<Task<bool>> done, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(watch.Elapsed < Bound, $"{what}: not after {Bound.TotalSeconds} s");
            await Task.Delay(10);
        }
    }

    static Task ListeningAsync(TestApp app, bool listening = true) =>
        EventuallyAsync(() => Task.FromResult(app.Service<SlotPlacesCache>().InUse == listening), listening ? "The listener listens" : "The listener is down");

    static async Task<JsonElement[]> SlotsAsync(TestApp app, long point) =>
        (await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{point}/slots?from=2026-03-11&to=2026-03-11"))!;

    static async Task<(int, int)> CountsAsync(TestApp app, long point, string start) =>
        SlotsTests<PostgresTestDatabase>.Counts(await SlotsAsync(app, point), start);

    [Fact]
    public async Task A_booking_moved_and_cancelled_on_another_instance_shows_on_this_instances_calendar()
    {
        await using var first = await TestApp.StartAsync<PostgresTestDatabase>();
        await using var second = TestApp.StartOn(first);
        var adults = await SlotsTests<PostgresTestDatabase>.PickupPointIdAsync(first, Library.CentralAdults);
        await ListeningAsync(first);
        Assert.Equal((0, 4), await CountsAsync(first, adults, Wednesday11)); // cached now

        var (title, _) = await Library.TitleAsync(second, "CENTRALE");
        var patron = await Library.PatronAsync(second, "P0001");
        var hold = await Library.ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created);
        var id = (await Library.ReadAsync(await patron.PostAsJsonAsync("/api/appointments",
            new { pickupPointId = adults, slotStart = Wednesday11, holdIds = new[] { hold.GetProperty("id").GetInt64() } }), HttpStatusCode.Created)).GetProperty("id").GetInt64();
        await EventuallyAsync(async () => await CountsAsync(first, adults, Wednesday11) == (1, 3), "The booking made on the other instance");

        await Library.ReadAsync(await patron.PostAsJsonAsync($"/api/appointments/{id}/move", new { slotStart = Wednesday1115 }), HttpStatusCode.OK);
        await EventuallyAsync(async () => SlotsTests<PostgresTestDatabase>.Counts(await SlotsAsync(first, adults), Wednesday1115) == (1, 3), "The move");
        Assert.Equal((0, 4), await CountsAsync(first, adults, Wednesday11));

        await Library.ReadAsync(await patron.DeleteAsync($"/api/appointments/{id}"), HttpStatusCode.OK);
        await EventuallyAsync(async () => await CountsAsync(first, adults, Wednesday1115) == (0, 4), "The cancellation");
    }

    [Fact]
    public async Task An_instance_starting_empties_the_others_caches_for_the_changes_its_predecessor_never_told()
    {
        await using var first = await TestApp.StartAsync<PostgresTestDatabase>();
        var adults = await SlotsTests<PostgresTestDatabase>.PickupPointIdAsync(first, Library.CentralAdults);
        await ListeningAsync(first);
        Assert.Equal((0, 4), await CountsAsync(first, adults, Wednesday11)); // cached now
        // A booking committed by an instance that stopped before telling the others (SlotPlacesNotifier sends after the commit).
        await using (var c = await first.Service<Db>().OpenAsync(default))
            await c.ExecuteAsync("insert into slot_places (pickup_point_id, slot_start, taken) values (@adults, @start, 1)",
                new { adults, start = DateTimeOffset.Parse(Wednesday11) });
        Assert.Equal((0, 4), await CountsAsync(first, adults, Wednesday11));

        await using var restarted = TestApp.StartOn(first);
        await ListeningAsync(restarted);
        await EventuallyAsync(async () => await CountsAsync(first, adults, Wednesday11) == (1, 3), "The count once another instance started");
    }

    [Fact]
    public async Task The_calendar_uses_its_cache_only_while_the_listener_listens_and_empties_it_on_reconnecting()
    {
        await using var app = await TestApp.StartAsync<PostgresTestDatabase>();
        var adults = await SlotsTests<PostgresTestDatabase>.PickupPointIdAsync(app, Library.CentralAdults);
        await using var c = await app.Service<Db>().OpenAsync(default);
        Task SetTakenAsync(int taken) => c.ExecuteAsync("""
            insert into slot_places (pickup_point_id, slot_start, taken) values (@adults, @start, @taken)
            on conflict (pickup_point_id, slot_start) do update set taken = @taken
            """, new { adults, start = DateTimeOffset.Parse(Wednesday11), taken });

        // Listening: a count changed behind the app's back (no notification) is not seen; the notification makes it seen.
        await ListeningAsync(app);
        Assert.Equal((0, 4), await CountsAsync(app, adults, Wednesday11));
        await SetTakenAsync(1);
        Assert.Equal((0, 4), await CountsAsync(app, adults, Wednesday11));
        await c.ExecuteAsync("select pg_notify(@channel, @payload)", new { channel = SlotPlacesListener.Channel, payload = adults.ToString() });
        await EventuallyAsync(async () => await CountsAsync(app, adults, Wednesday11) == (1, 3), "The notified change");

        // A change whose notification never came (its instance stopped in between) shows once the count is a minute old.
        await SetTakenAsync(2);
        app.Clock.Advance(SlotPlacesCache.MaxAge - TimeSpan.FromSeconds(1));
        Assert.Equal((1, 3), await CountsAsync(app, adults, Wednesday11));
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((2, 2), await CountsAsync(app, adults, Wednesday11));

        // The listener's connection lost: every calendar reads the database until it is back (its retry waits on the app's clock).
        await c.ExecuteAsync("select pg_terminate_backend(pid) from pg_stat_activity where application_name = @name and datname = current_database()",
            new { name = SlotPlacesListener.ApplicationName });
        await ListeningAsync(app, listening: false);
        await SetTakenAsync(2);
        Assert.Equal((2, 2), await CountsAsync(app, adults, Wednesday11));
        await SetTakenAsync(3);
        Assert.Equal((3, 1), await CountsAsync(app, adults, Wednesday11));

        // Reconnected: the cache starts empty, then is used again.
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await ListeningAsync(app);
        Assert.Equal((3, 1), await CountsAsync(app, adults, Wednesday11));
        await SetTakenAsync(0);
        Assert.Equal((3, 1), await CountsAsync(app, adults, Wednesday11));
    }
}
