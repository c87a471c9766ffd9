using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;

namespace ClickCollect.Tests.Features.Network;

public abstract class NetworkTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task Anyone_lists_the_demo_pickup_points_counters_and_bibliobus_stops()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var points = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/pickup-points");

        Assert.Equal(6, points!.Length);
        Assert.Equal(3, points.Count(p => p.GetProperty("kind").GetString() == "counter"));
        var stops = points.Where(p => p.GetProperty("kind").GetString() == "bibliobusStop").ToList();
        Assert.Equal(3, stops.Count);
        // A stop is served from the bibliobus's home branch.
        Assert.All(stops, s => Assert.Equal("Médiathèque centrale", s.GetProperty("branchName").GetString()));
        Assert.All(points, p => Assert.True(p.GetProperty("id").GetInt64() > 0 && p.GetProperty("branchId").GetInt64() > 0));
        Assert.Contains(points, p => p.GetProperty("name").GetString() == "Médiathèque centrale – Jeunesse");
    }

    [Fact]
    public async Task A_director_builds_a_branch_with_a_counter_and_a_bibliobus_stop_that_become_pickup_points()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await app.StaffClientAsync("director");

        var branch = await Read(await director.PostAsJsonAsync("/api/branches",
            new { code = "NORD", name = "Médiathèque Nord", address = "2 rue du Nord", phone = "03 85 00 00 30" }), HttpStatusCode.Created);
        var branchId = branch.GetProperty("id").GetInt64();
        Assert.Equal("Europe/Paris", branch.GetProperty("timeZone").GetString());

        var counter = await Read(await director.PostAsJsonAsync($"/api/branches/{branchId}/counters", new { name = "Prêt" }), HttpStatusCode.Created);
        var bus = await Read(await director.PostAsJsonAsync("/api/bibliobuses", new { homeBranchId = branchId, name = "Bibliobus Nord" }), HttpStatusCode.Created);
        var route = await Read(await director.PostAsJsonAsync($"/api/bibliobuses/{bus.GetProperty("id").GetInt64()}/routes", new { name = "Villages" }), HttpStatusCode.Created);
        var stop = await Read(await director.PostAsJsonAsync($"/api/routes/{route.GetProperty("id").GetInt64()}/stops", new
        {
            name = "Lux – église",
            address = "Place de l'église",
            position = 1,
            schedule = new[] { new { weekday = 4, arrivesAt = "10:00:00", departsAt = "11:30:00" } },
        }), HttpStatusCode.Created);
        Assert.Equal("10:00:00", stop.GetProperty("schedule")[0].GetProperty("arrivesAt").GetString());

        var stopId = stop.GetProperty("id").GetInt64();
        var changed = await Read(await director.PutAsJsonAsync($"/api/stops/{stopId}/exceptions",
            new { date = "2026-03-12", kind = "changed", arrivesAt = "14:00:00", departsAt = "15:00:00", note = "Marché" }), HttpStatusCode.OK);
        Assert.Equal("changed", changed.GetProperty("exceptions")[0].GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await director.DeleteAsync($"/api/stops/{stopId}/exceptions/2026-03-12")).StatusCode);

        var points = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/pickup-points");
        var mine = points!.Where(p => p.GetProperty("branchId").GetInt64() == branchId).ToList();
        Assert.Equal(2, mine.Count);
        Assert.Contains(mine, p => p.GetProperty("id").GetInt64() == counter.GetProperty("pickupPointId").GetInt64() && p.GetProperty("kind").GetString() == "counter");
        Assert.Contains(mine, p => p.GetProperty("id").GetInt64() == stop.GetProperty("pickupPointId").GetInt64() && p.GetProperty("kind").GetString() == "bibliobusStop");
    }

    [Fact]
    public async Task A_closed_pickup_point_disappears_from_the_public_list_but_staff_still_see_it()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await app.StaffClientAsync("director");
        var first = (await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/pickup-points"))![0];
        var id = first.GetProperty("id").GetInt64();

        var closed = await Read(await director.PutAsJsonAsync($"/api/pickup-points/{id}", new { name = "Fermé pour travaux", active = false }), HttpStatusCode.OK);
        Assert.False(closed.GetProperty("active").GetBoolean());

        Assert.DoesNotContain((await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/pickup-points"))!, p => p.GetProperty("id").GetInt64() == id);
        Assert.Contains((await director.GetFromJsonAsync<JsonElement[]>("/api/pickup-points?all=true"))!, p => p.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task Network_changes_are_for_directors_only()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var body = new { code = "X", name = "X" };
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/branches", body)).StatusCode);
        var counter = await app.StaffClientAsync("counter");
        await ProblemAssert.IsProblemAsync(await counter.PostAsJsonAsync("/api/branches", body), HttpStatusCode.Forbidden);
        var patron = await app.PatronClientAsync();
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/bibliobuses", new { homeBranchId = 1, name = "B" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Bad_network_input_is_refused_naming_the_field()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await app.StaffClientAsync("director");

        await ProblemAssert.IsProblemAsync(await director.PostAsJsonAsync("/api/branches", new { code = "bad code", name = "", timeZone = "Mars/Olympus" }),
            HttpStatusCode.BadRequest, null, "code", "name", "timeZone");
        await ProblemAssert.IsProblemAsync(await director.PostAsJsonAsync("/api/branches", new { code = "CENTRALE", name = "Doublon" }),
            HttpStatusCode.Conflict, "branch_code_taken");
        await ProblemAssert.IsProblemAsync(await director.PostAsJsonAsync("/api/bibliobuses", new { homeBranchId = 999, name = "Fantôme" }),
            HttpStatusCode.BadRequest, "invalid_request", "homeBranchId");
        await ProblemAssert.IsProblemAsync(await director.PostAsJsonAsync("/api/branches/999/counters", new { name = "Prêt" }),
            HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblemAsync(await director.PostAsJsonAsync("/api/routes/1/stops",
            new { name = "Doublon", position = 1, schedule = new[] { new { weekday = 8, arrivesAt = "11:00:00", departsAt = "10:00:00" } } }),
            HttpStatusCode.BadRequest, null, "schedule[0].weekday", "schedule[0].departsAt");
        await ProblemAssert.IsProblemAsync(await director.PostAsJsonAsync("/api/routes/1/stops", new { name = "Doublon", position = 1 }),
            HttpStatusCode.Conflict, "stop_position_taken");
        await ProblemAssert.IsProblemAsync(await director.PutAsJsonAsync("/api/stops/1/exceptions", new { date = "2026-03-12", kind = "changed" }),
            HttpStatusCode.BadRequest, null, "arrivesAt", "departsAt");
        await ProblemAssert.IsProblemAsync(await director.PutAsJsonAsync("/api/stops/1/exceptions", new { date = "12/03/2026", kind = "cancelled" }),
            HttpStatusCode.BadRequest, null, "date");
        await ProblemAssert.IsProblemAsync(await app.CreateClient().GetAsync("/api/pickup-points/424242"), HttpStatusCode.NotFound, "not_found");
    }

    static async Task<JsonElement> Read(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }
}

public sealed class NetworkTests_Sqlite : NetworkTests<SqliteTestDatabase>;
public sealed class NetworkTests_Postgres : NetworkTests<PostgresTestDatabase>;
