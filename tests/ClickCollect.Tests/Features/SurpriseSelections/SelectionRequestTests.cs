using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Features.SurpriseSelections.SelectionKit;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.SurpriseSelections;

public abstract class SelectionRequestTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task Requests_wait_in_the_queue_of_their_pickup_point_oldest_first_and_each_patron_sees_only_their_own()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var quarter = await PickupPointIdAsync(app, Quarter);
        var first = await PatronAsync(app, "P0001");
        var created = await ReadAsync(await first.PostAsJsonAsync("/api/selection-requests", Tastes(adults)), HttpStatusCode.Created);
        var request = created;
        Assert.Equal(("open", "web", 5, "P0001"), (request.GetProperty("status").GetString(), request.GetProperty("channel").GetString(),
            request.GetProperty("count").GetInt32(), request.GetProperty("patronCardNumber").GetString()));
        Assert.Equal(["polars", "Polar nordique"], request.GetProperty("genres").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(JsonValueKind.Null, created.GetProperty("proposal").ValueKind); // a surprise: the reader never sees the bundle

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await CreateAsync(await PatronAsync(app, "P0002"), new { pickupPointId = adults, count = 2 });
        await CreateAsync(await PatronAsync(app, "P0003"), new { pickupPointId = quarter, count = 1 });

        var librarian = await app.StaffClientAsync("librarian");
        var queue = await librarian.GetFromJsonAsync<JsonElement[]>($"/api/selection-requests?pickupPointId={adults}");
        Assert.Equal([request.GetProperty("id").GetInt64(), second], queue!.Select(r => r.GetProperty("id").GetInt64()));
        var mine = await first.GetFromJsonAsync<JsonElement[]>("/api/selection-requests");
        Assert.Equal([request.GetProperty("id").GetInt64()], mine!.Select(r => r.GetProperty("id").GetInt64()));
        await ProblemAssert.IsProblemAsync(await first.GetAsync($"/api/selection-requests/{second}"), HttpStatusCode.NotFound, "not_found");
        await ProblemAssert.IsProblemAsync(await first.PostAsync($"/api/selection-requests/{second}/proposal", null), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await (await app.StaffClientAsync("counter")).PostAsync($"/api/selection-requests/{second}/claim", null),
            HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_phone_desk_states_tastes_for_a_named_patron()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var counter = await app.StaffClientAsync("counter");
        await ProblemAssert.IsProblemAsync(await counter.PostAsJsonAsync("/api/selection-requests", new { pickupPointId = adults, count = 3 }),
            HttpStatusCode.BadRequest, "invalid_request", "patronCardNumber");

        var created = await ReadAsync(await counter.PostAsJsonAsync("/api/selection-requests",
            new { pickupPointId = adults, count = 3, genres = new[] { "Bande dessinée" }, patronCardNumber = "P0010" }), HttpStatusCode.Created);
        Assert.Equal(("phone", "P0010"), (created.GetProperty("channel").GetString(),
            created.GetProperty("patronCardNumber").GetString()));
        var theirs = await (await PatronAsync(app, "P0010")).GetFromJsonAsync<JsonElement[]>("/api/selection-requests");
        Assert.Single(theirs!);
        await ProblemAssert.IsProblemAsync(await (await PatronAsync(app, "P0011")).PostAsJsonAsync("/api/selection-requests",
            new { pickupPointId = adults, count = 3, patronCardNumber = "P0010" }), HttpStatusCode.Forbidden, "other_patron");
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { """{"pickupPointId": {pp}, "count": 0}""", "count" },
        { """{"pickupPointId": {pp}, "count": 11}""", "count" },
        { """{"pickupPointId": 0, "count": 3}""", "pickupPointId" },
        { """{"pickupPointId": 99999, "count": 3}""", "pickupPointId" },
        { """{"pickupPointId": {pp}, "count": "trois"}""", "count" },
        { """{"pickupPointId": {pp}, "count": 3, "audience": "aliens"}""", "audience" },
        { """{"pickupPointId": {pp}, "count": 3, "formats": ["book", "vinyl"]}""", "formats[1]" },
        { """{"pickupPointId": {pp}, "count": 3, "formats": ["book", "book"]}""", "formats" },
        { """{"pickupPointId": {pp}, "count": 3, "languages": ["french"]}""", "languages[0]" },
        { """{"pickupPointId": {pp}, "count": 3, "genres": ["polar", ""]}""", "genres[1]" },
        { """{"pickupPointId": {pp}, "count": 3, "likedAuthors": ["x{long}"]}""", "likedAuthors[0]" },
        { """{"pickupPointId": {pp}, "count": 3, "avoid": [{many}]}""", "avoid" },
        { """{"pickupPointId": {pp}, "count": 3, "notes": "{notes}"}""", "notes" },
        { """{"pickupPointId": {pp}, "count": 3, "repeatEveryWeeks": 2}""", "repeatTimes" },
        { """{"pickupPointId": {pp}, "count": 3, "repeatEveryWeeks": 13, "repeatTimes": 2}""", "repeatEveryWeeks" },
        { """{"pickupPointId": {pp}, "count": 3, "repeatEveryWeeks": 2, "repeatTimes": 1}""", "repeatTimes" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_refused_naming_the_field_and_writes_nothing(string body, string field)
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var patron = await PatronAsync(app, "P0004");
        var json = body.Replace("{pp}", adults.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{long}", new string('x', 120)).Replace("{notes}", new string('n', 2001))
            .Replace("{many}", string.Join(", ", Enumerable.Range(1, 21).Select(i => $"\"mot{i}\"")));

        var response = await patron.PostAsync("/api/selection-requests", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, null, field);
        Assert.Equal(0, await CountAsync(app, "select count(*) from selection_requests"));
    }

    [Fact]
    public async Task Cancelling_keeps_the_request_and_frees_the_copies_of_its_bundle()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var patron = await PatronAsync(app, "P0005");
        var id = await CreateAsync(patron, Tastes(adults, 3));
        var librarian = await app.StaffClientAsync("librarian");
        Assert.Equal(3, CopyIds(await ProposeAsync(librarian, id)).Length);
        Assert.Equal(3, await CountAsync(app, "select count(*) from selection_items where request_id = @id", new { id }));

        var cancelled = await ReadAsync(await patron.PostAsync($"/api/selection-requests/{id}/cancel", null), HttpStatusCode.OK);

        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(0, await CountAsync(app, "select count(*) from selection_items"));
        Assert.Equal(1, await CountAsync(app, "select count(*) from selection_requests where id = @id and status = 'cancelled'", new { id }));
        await ProblemAssert.IsProblemAsync(await patron.PostAsync($"/api/selection-requests/{id}/cancel", null), HttpStatusCode.Conflict, "selection_closed");
        await ProblemAssert.IsProblemAsync(await librarian.PostAsync($"/api/selection-requests/{id}/proposal", null), HttpStatusCode.Conflict, "selection_closed");
    }
}

public sealed class SelectionRequestTests_Sqlite : SelectionRequestTests<SqliteTestDatabase>;
public sealed class SelectionRequestTests_Postgres : SelectionRequestTests<PostgresTestDatabase>;
