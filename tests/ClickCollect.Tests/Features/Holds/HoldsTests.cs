using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Holds;

public abstract class HoldsTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task A_copy_on_the_shelf_at_the_pickup_branch_is_allocated_at_once_else_one_comes_in_transit()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (local, _) = await TitleAsync(app, "PRES", "CENTRALE");
        var (remote, _) = await TitleAsync(app, "PRES");
        var patron = await PatronAsync(app, "P0001");

        var near = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = local, pickupPointId = adults }), HttpStatusCode.Created);
        Assert.Equal("toPick", near.GetProperty("status").GetString());
        Assert.Equal("web", near.GetProperty("channel").GetString());

        var far = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = remote, pickupPointId = adults }), HttpStatusCode.Created);
        Assert.Equal("inTransit", far.GetProperty("status").GetString());

        var staff = await app.StaffClientAsync("counter");
        var received = await ReadAsync(await staff.PostAsync($"/api/holds/{far.GetProperty("id").GetInt64()}/received", null), HttpStatusCode.OK);
        Assert.Equal("toPick", received.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Without_a_free_copy_holds_queue_first_come_first_served_and_a_released_copy_goes_to_the_oldest()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var first = await PatronAsync(app, "P0001");
        var second = await PatronAsync(app, "P0002");
        var third = await PatronAsync(app, "P0003");

        var h1 = await ReadAsync(await first.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created);
        var h2 = await ReadAsync(await second.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var h3 = await ReadAsync(await third.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created);
        Assert.Equal(("toPick", "queued", "queued"), (Status(h1), Status(h2), Status(h3)));
        Assert.Equal(1, h2.GetProperty("queuePosition").GetInt32());
        Assert.Equal(2, h3.GetProperty("queuePosition").GetInt32());

        var cancelled = await ReadAsync(await first.DeleteAsync($"/api/holds/{h1.GetProperty("id").GetInt64()}"), HttpStatusCode.OK);
        Assert.Equal("cancelled", Status(cancelled)); // a state, never a delete

        var after2 = await second.GetFromJsonAsync<JsonElement>($"/api/holds/{h2.GetProperty("id").GetInt64()}");
        var after3 = await third.GetFromJsonAsync<JsonElement>($"/api/holds/{h3.GetProperty("id").GetInt64()}");
        Assert.Equal("toPick", Status(after2));
        Assert.Equal(h1.GetProperty("copyId").GetInt64(), after2.GetProperty("copyId").GetInt64());
        Assert.Equal(("queued", 1), (Status(after3), after3.GetProperty("queuePosition").GetInt32()));
    }

    [Fact]
    public async Task A_ready_hold_waits_five_open_days_then_expires_and_its_copy_passes_on()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var h1 = await ReadAsync(await (await PatronAsync(app, "P0001")).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created);
        var h2 = await ReadAsync(await (await PatronAsync(app, "P0002")).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created);
        var staff = await app.StaffClientAsync("counter");

        var ready = await ReadAsync(await staff.PostAsync($"/api/holds/{h1.GetProperty("id").GetInt64()}/ready", null), HttpStatusCode.OK);
        // Ready on Tuesday 10 March; the adult counter opens Tuesday to Saturday: Wed, Thu, Fri, Sat, then Tue 17.
        Assert.Equal("2026-03-17", ready.GetProperty("pickupDeadline").GetString());
        Assert.Equal([h1.GetProperty("id").GetInt64()], (await staff.GetFromJsonAsync<JsonElement[]>($"/api/holds?status=ready&pickupPointId={adults}"))!
            .Select(h => h.GetProperty("id").GetInt64()));
        await ProblemAssert.IsProblemAsync(await staff.GetAsync("/api/holds?status=lost"), HttpStatusCode.BadRequest, null, "status");

        var worker = app.Worker<HoldExpiryWorker>();
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 17, 22, 0, 0, TimeSpan.Zero)); // 23:00 in Paris on the 17th: still valid
        staff = await app.StaffClientAsync("counter"); // a new day, a new sign-in
        await worker.RunOnceAsync(default);
        Assert.Equal("ready", Status(await staff.GetFromJsonAsync<JsonElement>($"/api/holds/{h1.GetProperty("id").GetInt64()}")));

        app.Clock.SetUtcNow(new DateTimeOffset(2026, 3, 17, 23, 5, 0, TimeSpan.Zero)); // 00:05 on the 18th in Paris
        await worker.RunOnceAsync(default);
        Assert.Equal("expired", Status(await staff.GetFromJsonAsync<JsonElement>($"/api/holds/{h1.GetProperty("id").GetInt64()}")));
        Assert.Equal("toPick", Status(await staff.GetFromJsonAsync<JsonElement>($"/api/holds/{h2.GetProperty("id").GetInt64()}")));
    }

    [Fact]
    public async Task A_patron_cannot_exceed_the_active_hold_limit_nor_hold_a_title_twice()
    {
        await using var app = await TestApp.StartAsync<TDb>(new() { ["Holds:MaxActivePerPatron"] = "2" });
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var patron = await PatronAsync(app, "P0004");
        var (a, _) = await TitleAsync(app, "CENTRALE");
        var (b, _) = await TitleAsync(app, "CENTRALE");
        var (c, _) = await TitleAsync(app, "CENTRALE");
        await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = a, pickupPointId = adults }), HttpStatusCode.Created);
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = a, pickupPointId = adults }), HttpStatusCode.Conflict, "already_held");
        await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = b, pickupPointId = adults }), HttpStatusCode.Created);
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = c, pickupPointId = adults }), HttpStatusCode.Conflict, "hold_limit");
    }

    [Fact]
    public async Task The_phone_desk_places_holds_for_a_named_patron()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var staff = await app.StaffClientAsync("counter");
        await ProblemAssert.IsProblemAsync(await staff.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }),
            HttpStatusCode.BadRequest, null, "patronCardNumber");
        var hold = await ReadAsync(await staff.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults, patronCardNumber = "P0005" }), HttpStatusCode.Created);
        Assert.Equal("phone", hold.GetProperty("channel").GetString());
        Assert.Equal("P0005", hold.GetProperty("patronCardNumber").GetString());

        var mine = await (await PatronAsync(app, "P0005")).GetFromJsonAsync<JsonElement[]>("/api/holds");
        Assert.Contains(mine!, h => h.GetProperty("id").GetInt64() == hold.GetProperty("id").GetInt64());
        Assert.DoesNotContain((await (await PatronAsync(app, "P0006")).GetFromJsonAsync<JsonElement[]>("/api/holds"))!,
            h => h.GetProperty("id").GetInt64() == hold.GetProperty("id").GetInt64());
        await ProblemAssert.IsProblemAsync(await (await PatronAsync(app, "P0006")).DeleteAsync($"/api/holds/{hold.GetProperty("id").GetInt64()}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_retried_post_with_the_same_idempotency_key_replays_the_first_answer()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var (other, _) = await TitleAsync(app, "CENTRALE");
        var patron = await PatronAsync(app, "P0007");
        patron.DefaultRequestHeaders.Add("Idempotency-Key", "reserve-1");

        var first = await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created);
        var again = await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults });
        var replay = await ReadAsync(again, HttpStatusCode.Created);
        Assert.Equal(first.GetProperty("id").GetInt64(), replay.GetProperty("id").GetInt64());
        Assert.Equal($"/api/holds/{first.GetProperty("id").GetInt64()}", again.Headers.Location?.ToString());
        Assert.Single((await patron.GetFromJsonAsync<JsonElement[]>("/api/holds"))!);

        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = other, pickupPointId = adults }),
            HttpStatusCode.UnprocessableEntity, "idempotency_key_reused");
    }

    [Fact]
    public async Task Bad_hold_requests_are_refused_naming_the_field_and_write_nothing()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (title, copies) = await TitleAsync(app, "CENTRALE");
        var patron = await PatronAsync(app, "P0008");
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, copyId = copies[0], pickupPointId = adults }),
            HttpStatusCode.BadRequest, null, "copyId");
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/holds", new { pickupPointId = adults }), HttpStatusCode.BadRequest, null, "titleId");
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = 999999, pickupPointId = adults }), HttpStatusCode.BadRequest, null, "titleId");
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = 999 }), HttpStatusCode.BadRequest, null, "pickupPointId");
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = "x", pickupPointId = adults }), HttpStatusCode.BadRequest, null, "titleId");
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults, patronCardNumber = "P0009" }), HttpStatusCode.Forbidden, "other_patron");
        Assert.Empty((await patron.GetFromJsonAsync<JsonElement[]>("/api/holds"))!);
    }

    static string Status(JsonElement hold) => hold.GetProperty("status").GetString()!;
}

public sealed class HoldsTests_Sqlite : HoldsTests<SqliteTestDatabase>;
public sealed class HoldsTests_Postgres : HoldsTests<PostgresTestDatabase>;
