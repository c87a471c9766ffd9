using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;

namespace ClickCollect.Tests.Features.Slots;

public abstract class SlotsTests<TDb> where TDb : ITestDatabase, new()
{
    internal static async Task<long> PickupPointIdAsync(TestApp app, string name)
    {
        var points = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/pickup-points?all=true");
        return points!.Single(p => p.GetProperty("name").GetString() == name).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task Slots_start_after_the_lead_time_and_show_places_left()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, "Médiathèque centrale – Adultes");
        // The clock says Tuesday 10 March 2026, 09:00 in Paris; lead time 2 h → first slot 11:00 (10:00Z).
        var slots = await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{adults}/slots?from=2026-03-10&to=2026-03-10");
        Assert.Equal("2026-03-10T10:00:00+00:00", slots![0].GetProperty("start").GetString());
        Assert.Equal(4 + 16, slots.Length); // 11:00–12:00 and 14:00–18:00 in quarters
        Assert.All(slots, s => Assert.Equal(4, s.GetProperty("remaining").GetInt32()));
        Assert.All(slots, s => Assert.Equal(0, s.GetProperty("booked").GetInt32()));
    }

    [Fact]
    public async Task Slots_stop_at_the_horizon_and_skip_closures()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, "Médiathèque centrale – Adultes");
        var director = await app.StaffClientAsync("director");
        var closure = await director.PostAsJsonAsync($"/api/pickup-points/{adults}/closures", new { startsOn = "2026-03-11", endsOn = "2026-03-12", reason = "Inventaire" });
        Assert.Equal(HttpStatusCode.Created, closure.StatusCode);

        var slots = await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{adults}/slots");
        var days = slots!.Select(s => DateTimeOffset.Parse(s.GetProperty("start").GetString()!).UtcDateTime.Date).Distinct().ToList();
        Assert.DoesNotContain(new DateTime(2026, 3, 11), days);
        Assert.DoesNotContain(new DateTime(2026, 3, 12), days);
        Assert.Contains(new DateTime(2026, 3, 13), days);
        Assert.True(days.Max() <= new DateTime(2026, 3, 24)); // today + 14 days
    }

    [Fact]
    public async Task A_branch_closed_on_wednesdays_offers_no_slot_at_its_counters_that_day()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, "Médiathèque centrale – Adultes");
        var branches = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/branches");
        var central = branches!.Single(b => b.GetProperty("counters").EnumerateArray().Any(c => c.GetProperty("pickupPointId").GetInt64() == adults));
        Assert.Empty(central.GetProperty("closedWeekdays").EnumerateArray());
        var director = await app.StaffClientAsync("director");
        var id = central.GetProperty("id").GetInt64();
        var saved = await director.PutAsJsonAsync($"/api/branches/{id}", new
        {
            code = central.GetProperty("code").GetString(), name = central.GetProperty("name").GetString(), closedWeekdays = new[] { 3 },
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal([3], (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("closedWeekdays").EnumerateArray().Select(d => d.GetInt32()));

        var slots = await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{adults}/slots?from=2026-03-10&to=2026-03-12");
        var days = slots!.Select(s => DateTimeOffset.Parse(s.GetProperty("start").GetString()!).UtcDateTime.Date).Distinct().ToList();
        Assert.Equal([new DateTime(2026, 3, 10), new DateTime(2026, 3, 12)], days); // Wednesday the 11th is gone

        // Leaving the days out of a later edit keeps them; an eighth weekday is refused naming the field.
        await director.PutAsJsonAsync($"/api/branches/{id}", new { code = central.GetProperty("code").GetString(), name = "Centrale" });
        var after = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/branches/{id}");
        Assert.Equal([3], after.GetProperty("closedWeekdays").EnumerateArray().Select(d => d.GetInt32()));
        var bad = await director.PutAsJsonAsync($"/api/branches/{id}", new { code = "CENTRALE", name = "Centrale", closedWeekdays = new[] { 8 } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("closedWeekdays", await bad.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_bibliobus_stop_has_slots_only_during_its_visits_and_follows_date_exceptions()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var stop = await PickupPointIdAsync(app, "Bibliobus – Saint-Rémy – mairie");
        var slots = await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{stop}/slots?from=2026-03-10&to=2026-03-16");
        // Fridays 16:00–18:30 in half hours: the 13th only in this week.
        Assert.Equal(5, slots!.Length);
        Assert.Equal("2026-03-13T15:00:00+00:00", slots[0].GetProperty("start").GetString());

        var director = await app.StaffClientAsync("director");
        var point = await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/pickup-points/{stop}");
        var stopId = point.GetProperty("stopId").GetInt64();
        await director.PutAsJsonAsync($"/api/stops/{stopId}/exceptions", new { date = "2026-03-13", kind = "cancelled", note = "Panne" });
        Assert.Empty((await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{stop}/slots?from=2026-03-10&to=2026-03-16"))!);
    }

    [Fact]
    public async Task A_director_replaces_the_opening_windows()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var point = await PickupPointIdAsync(app, "Médiathèque des Prés-Saint-Jean – Accueil");
        var director = await app.StaffClientAsync("director");
        var saved = await director.PutAsJsonAsync($"/api/pickup-points/{point}/opening", new
        {
            leadTimeMinutes = 0,
            horizonDays = 3,
            pickupOpenDays = 4,
            stopSlotMinutes = 30,
            stopSlotCapacity = 4,
            windows = new[] { new { weekday = 2, startsAt = "16:00:00", endsAt = "17:00:00", slotMinutes = 30, capacity = 2, maxItems = 6 } },
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var slots = await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{point}/slots");
        Assert.Equal(2, slots!.Length);
        Assert.All(slots, s => Assert.Equal(6, s.GetProperty("maxItems").GetInt32()));
    }

    [Fact]
    public async Task Bad_opening_and_slot_queries_are_refused_naming_the_field()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var point = await PickupPointIdAsync(app, "Médiathèque des Prés-Saint-Jean – Accueil");
        var director = await app.StaffClientAsync("director");
        await ProblemAssert.IsProblemAsync(await director.PutAsJsonAsync($"/api/pickup-points/{point}/opening", new
        {
            leadTimeMinutes = -1,
            horizonDays = 0,
            pickupOpenDays = 4,
            stopSlotMinutes = 30,
            stopSlotCapacity = 4,
            windows = new[]
            {
                new { weekday = 2, startsAt = "10:00:00", endsAt = "12:00:00", slotMinutes = 30, capacity = 0 },
                new { weekday = 2, startsAt = "11:00:00", endsAt = "13:00:00", slotMinutes = 30, capacity = 2 },
            },
        }), HttpStatusCode.BadRequest, null, "leadTimeMinutes", "horizonDays", "windows[0].capacity", "windows");
        await ProblemAssert.IsProblemAsync(await app.CreateClient().GetAsync($"/api/pickup-points/{point}/slots?from=2026-03-12&to=2026-03-11"),
            HttpStatusCode.BadRequest, null, "to");
        await ProblemAssert.IsProblemAsync(await app.CreateClient().GetAsync($"/api/pickup-points/{point}/slots?from=tomorrow"),
            HttpStatusCode.BadRequest, null, "from");
        await ProblemAssert.IsProblemAsync(await app.CreateClient().GetAsync("/api/pickup-points/9999/slots"), HttpStatusCode.NotFound);
    }

    // #17: the calendar is kept computed per pickup point and period (SlotWindows) and written from prepared JSON; the
    // places taken are counted live, and a change of the configuration makes a new window.
    const string Wednesday11 = "2026-03-11T09:00:00+00:00"; // 10:00 in Paris
    const string Wednesday1115 = "2026-03-11T09:15:00+00:00";

    internal static (int Booked, int Remaining) Counts(JsonElement[]? slots, string start)
    {
        var slot = slots!.Single(s => s.GetProperty("start").GetString() == start);
        return (slot.GetProperty("booked").GetInt32(), slot.GetProperty("remaining").GetInt32());
    }

    [Fact]
    public async Task A_place_taken_or_freed_shows_at_once_in_a_calendar_already_computed()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, Library.CentralAdults);
        var anyone = app.CreateClient();
        var path = $"/api/pickup-points/{adults}/slots?from=2026-03-11&to=2026-03-11";
        Assert.Equal((0, 4), Counts(await anyone.GetFromJsonAsync<JsonElement[]>(path), Wednesday11));

        var (title, _) = await Library.TitleAsync(app, "CENTRALE");
        var patron = await Library.PatronAsync(app, "P0001");
        var hold = await Library.ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created);
        var booked = await Library.ReadAsync(await patron.PostAsJsonAsync("/api/appointments",
            new { pickupPointId = adults, slotStart = Wednesday11, holdIds = new[] { hold.GetProperty("id").GetInt64() } }), HttpStatusCode.Created);
        Assert.Equal((1, 3), Counts(await anyone.GetFromJsonAsync<JsonElement[]>(path), Wednesday11));

        // Moved a quarter of an hour later: the place freed and the one taken, both at once (#17: the counts are cached).
        var id = booked.GetProperty("id").GetInt64();
        await Library.ReadAsync(await patron.PostAsJsonAsync($"/api/appointments/{id}/move", new { slotStart = Wednesday1115 }), HttpStatusCode.OK);
        var slots = await anyone.GetFromJsonAsync<JsonElement[]>(path);
        Assert.Equal(((0, 4), (1, 3)), (Counts(slots, Wednesday11), Counts(slots, Wednesday1115)));

        await Library.ReadAsync(await patron.DeleteAsync($"/api/appointments/{id}"), HttpStatusCode.OK);
        Assert.Equal((0, 4), Counts(await anyone.GetFromJsonAsync<JsonElement[]>(path), Wednesday1115));
    }

    [Fact]
    public async Task A_closure_or_a_lockdown_cap_shows_at_once_in_a_calendar_already_computed()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, Library.CentralAdults);
        var anyone = app.CreateClient();
        var path = $"/api/pickup-points/{adults}/slots?from=2026-03-12&to=2026-03-13";
        var before = (await anyone.GetFromJsonAsync<JsonElement[]>(path))!;
        Assert.Equal(["2026-03-12", "2026-03-13"], before.Select(s => s.GetProperty("start").GetString()![..10]).Distinct());
        Assert.All(before, s => Assert.Equal(4, s.GetProperty("capacity").GetInt32()));

        var director = await app.StaffClientAsync("director");
        Assert.Equal(HttpStatusCode.Created, (await director.PostAsJsonAsync($"/api/pickup-points/{adults}/closures",
            new { startsOn = "2026-03-12", endsOn = "2026-03-12", reason = "Inventaire" })).StatusCode);
        var closed = (await anyone.GetFromJsonAsync<JsonElement[]>(path))!;
        Assert.Equal(["2026-03-13"], closed.Select(s => s.GetProperty("start").GetString()![..10]).Distinct());

        await Lending.DeclareAsync(app, new { startsOn = "2026-03-13", suspendFines = false, suspendReminders = false, slotCapacityCap = 1 });
        var capped = (await anyone.GetFromJsonAsync<JsonElement[]>(path))!;
        Assert.Equal(closed.Length, capped.Length);
        Assert.All(capped, s => Assert.Equal((1, 1), (s.GetProperty("capacity").GetInt32(), s.GetProperty("remaining").GetInt32())));
    }

    [Fact]
    public async Task The_calendar_is_the_json_the_serializer_writes_for_its_slots()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, Library.CentralAdults);
        var (title, _) = await Library.TitleAsync(app, "CENTRALE");
        var patron = await Library.PatronAsync(app, "P0001");
        var hold = await Library.ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created);
        await Library.ReadAsync(await patron.PostAsJsonAsync("/api/appointments",
            new { pickupPointId = adults, slotStart = Wednesday11, holdIds = new[] { hold.GetProperty("id").GetInt64() } }), HttpStatusCode.Created);

        var response = await app.CreateClient().GetAsync($"/api/pickup-points/{adults}/slots");
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        var options = app.Service<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var slots = JsonSerializer.Deserialize<List<ClickCollect.Api.Features.Slots.SlotResponse>>(body, options)!;
        Assert.Equal(JsonSerializer.Serialize(slots, options), body);
        Assert.Contains(slots, s => s.Booked == 1 && s.Remaining == 3);
        Assert.Equal("[]", await app.CreateClient().GetStringAsync($"/api/pickup-points/{adults}/slots?from=2026-03-01&to=2026-03-09"));
    }
}

public sealed class SlotsTests_Sqlite : SlotsTests<SqliteTestDatabase>;
public sealed class SlotsTests_Postgres : SlotsTests<PostgresTestDatabase>;
