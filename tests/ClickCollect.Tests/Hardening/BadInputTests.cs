using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClickCollect.Api.Features.Fines;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;

namespace ClickCollect.Tests.Hardening;

/// <summary>#14 item 1: every case found by generated bad input answers a 400 naming the field, and writes nothing.</summary>
public abstract class BadInputTests<TDb> where TDb : ITestDatabase, new()
{
    static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Null_and_missing_members_and_null_list_elements_name_the_field()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await app.StaffClientAsync("director");

        await ProblemAssert.IsProblemAsync(await director.PutAsync("/api/branches/1/shelf-order", Json("{}")), HttpStatusCode.BadRequest, null, "locations");
        await ProblemAssert.IsProblemAsync(await director.PutAsync("/api/branches/1/shelf-order", Json("{\"locations\": null}")), HttpStatusCode.BadRequest, null, "locations");
        await ProblemAssert.IsProblemAsync(await director.PutAsync("/api/branches/1/shelf-order", Json("{\"locations\": [null]}")), HttpStatusCode.BadRequest, null, "locations[0]");

        var opening = (await director.GetFromJsonAsync<JsonObject>("/api/pickup-points/1/opening"))!;
        opening["windows"] = new JsonArray((JsonNode?)null);
        await ProblemAssert.IsProblemAsync(await director.PutAsync("/api/pickup-points/1/opening", Json(opening.ToJsonString())), HttpStatusCode.BadRequest, null, "windows[0]");

        await ProblemAssert.IsProblemAsync(await director.PutAsync("/api/stops/1", Json("{\"name\": \"Arrêt\", \"position\": 1, \"schedule\": [null]}")),
            HttpStatusCode.BadRequest, null, "schedule[0]");
        await ProblemAssert.IsProblemAsync(await director.PostAsync("/api/selection-requests/1/confirm", Json("{}")), HttpStatusCode.BadRequest, null, "copyIds");

        // Leaving "active" out used to deactivate the pickup point; an empty closure was dated 0001-01-01.
        await ProblemAssert.IsProblemAsync(await director.PutAsync("/api/pickup-points/1", Json("{\"name\": \"Renommé\"}")), HttpStatusCode.BadRequest, null, "active");
        await ProblemAssert.IsProblemAsync(await director.PostAsync("/api/pickup-points/1/closures", Json("{}")), HttpStatusCode.BadRequest, null, "startsOn", "endsOn");
        var point = await director.GetFromJsonAsync<JsonElement>("/api/pickup-points/1");
        Assert.NotEqual("Renommé", point.GetProperty("name").GetString());
        Assert.DoesNotContain((await director.GetFromJsonAsync<JsonElement>("/api/pickup-points/1/opening")).GetProperty("closures").EnumerateArray(),
            c => c.GetProperty("startsOn").GetString()!.StartsWith("0001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_given_twice_is_refused()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await app.StaffClientAsync("director");
        await ProblemAssert.IsProblemAsync(await director.PutAsync("/api/pickup-points/1", Json("{\"name\": \"A\", \"active\": true, \"active\": false}")),
            HttpStatusCode.BadRequest);
        Assert.True((await director.GetFromJsonAsync<JsonElement>("/api/pickup-points/1")).GetProperty("active").GetBoolean());
    }

    [Theory]
    [InlineData("/api/pickup-points/1/closures", "{\"startsOn\": \"9999-12-31\", \"endsOn\": \"9999-12-31\"}", "startsOn")]
    [InlineData("/api/pickup-points/1/closures", "{\"startsOn\": \"2026-03-20\", \"endsOn\": \"9999-12-31\"}", "endsOn")]
    [InlineData("/api/lockdowns", "{\"startsOn\": \"2026-03-01\", \"endsOn\": \"9999-12-31\", \"suspendFines\": true, \"suspendReminders\": true}", "endsOn")]
    [InlineData("/api/lockdowns", "{\"startsOn\": \"0001-01-01\", \"suspendFines\": true, \"suspendReminders\": true}", "startsOn")]
    public async Task Dates_outside_sane_bounds_are_refused_in_bodies(string path, string body, string field)
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await app.StaffClientAsync("director");
        await ProblemAssert.IsProblemAsync(await director.PostAsync(path, Json(body)), HttpStatusCode.BadRequest, null, field);
        // Fines, loans and previews keep answering.
        Assert.Equal(HttpStatusCode.OK, (await director.GetAsync("/api/patrons/P0001/fines")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await director.GetAsync("/api/lockdowns")).StatusCode);
    }

    [Theory]
    [InlineData("/api/pick-lists/1/0001-01-01", "date")]
    [InlineData("/api/pick-lists/1/9999-12-31", "date")]
    [InlineData("/api/load-lists/1/0001-01-01", "date")]
    [InlineData("/api/pickup-points/1/slots?from=0001-01-01&to=9999-12-31", "from")]
    public async Task Dates_outside_sane_bounds_are_refused_in_routes_and_queries(string path, string field)
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var counter = await app.StaffClientAsync("counter");
        await ProblemAssert.IsProblemAsync(await counter.GetAsync(path), HttpStatusCode.BadRequest, null, field);
    }

    [Fact]
    public async Task A_NUL_character_is_refused_at_the_edge()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var client = app.CreateClient();
        await ProblemAssert.IsProblemAsync(await client.PostAsync("/api/patrons/sign-in", Json("{\"cardNumber\": \"P0001\\u0000\", \"pin\": \"1234\"}")),
            HttpStatusCode.BadRequest, null, "cardNumber");
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/titles?q=cam%00us"), HttpStatusCode.BadRequest, null, "q");
        var counter = await app.StaffClientAsync("counter");
        await ProblemAssert.IsProblemAsync(await counter.GetAsync("/api/patrons?q=%00"), HttpStatusCode.BadRequest, null, "q");
    }

    [Fact]
    public async Task An_overlong_address_is_a_414_problem()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        await ProblemAssert.IsProblemAsync(await app.CreateClient().GetAsync("/api/titles?q=" + new string('a', 9000)), HttpStatusCode.RequestUriTooLong, "uri_too_long");
    }

    [Fact]
    public async Task An_unknown_lockdown_has_no_audit_and_the_bearer_scheme_is_read_in_any_case()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await app.StaffClientAsync("director");
        await ProblemAssert.IsProblemAsync(await director.GetAsync("/api/lockdowns/999999/audit"), HttpStatusCode.NotFound, "not_found");

        var token = director.DefaultRequestHeaders.Authorization!.Parameter!;
        foreach (var scheme in new[] { "bearer", "BEARER", "Bearer" })
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"{scheme} {token}");
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/staff/me")).StatusCode);
        }
    }
}

public sealed class BadInputTests_Sqlite : BadInputTests<SqliteTestDatabase>;
public sealed class BadInputTests_Postgres : BadInputTests<PostgresTestDatabase>;

/// <summary>#14: calculators are total, so a date stored before the bounds existed cannot break fines.</summary>
public sealed class TotalCalculatorTests
{
    [Fact]
    public void Fines_are_computed_past_a_lockdown_ending_on_the_last_day_of_the_calendar()
    {
        var lockdown = new LockdownPeriod(1, new DateOnly(2026, 3, 1), DateOnly.MaxValue, null, true, true, 7, 3, null, true);
        var loan = new FineInput(new DateOnly(2026, 3, 5), null, new FineRule(20, 0, 500), [lockdown], [new DateRange(new DateOnly(2026, 3, 1), DateOnly.MaxValue)], 42);
        var fine = FineCalculator.Compute(loan, new DateOnly(2026, 4, 1));
        Assert.Equal(0, fine.AmountCents);
        Assert.Equal(DateOnly.MaxValue, fine.DueOn);
    }
}
