using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickCollect.Tests.Support;

namespace ClickCollect.Tests.Http;

/// <summary>Every 4xx/5xx is an RFC 9457 problem naming the field, and a refused request writes nothing.</summary>
public sealed class ProblemTests
{
    static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Malformed_json_is_a_400_problem_and_nothing_is_written()
    {
        await using var app = await TestApp.StartAsync();
        var director = await app.StaffClientAsync("director");
        var before = await director.GetFromJsonAsync<JsonElement[]>("/api/branches");

        await ProblemAssert.IsProblemAsync(await director.PostAsync("/api/branches", Json("{\"code\": \"NEW\", \"name\": ")), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(await director.PostAsync("/api/branches", Json("not json")), HttpStatusCode.BadRequest);

        Assert.Equal(before!.Length, (await director.GetFromJsonAsync<JsonElement[]>("/api/branches"))!.Length);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_names_the_field_and_the_handler_does_not_run()
    {
        await using var app = await TestApp.StartAsync();
        var director = await app.StaffClientAsync("director");
        var before = await director.GetFromJsonAsync<JsonElement[]>("/api/bibliobuses");

        await ProblemAssert.IsProblemAsync(await director.PostAsync("/api/bibliobuses", Json("{\"homeBranchId\": \"one\", \"name\": \"B\"}")),
            HttpStatusCode.BadRequest, null, "homeBranchId");
        await ProblemAssert.IsProblemAsync(await director.PostAsync("/api/routes/1/stops", Json("{\"name\": \"S\", \"position\": 9, \"schedule\": [{\"weekday\": 1, \"arrivesAt\": \"25:99\", \"departsAt\": \"11:00:00\"}]}")),
            HttpStatusCode.BadRequest, null, "schedule[0].arrivesAt");

        Assert.Equal(before!.Length, (await director.GetFromJsonAsync<JsonElement[]>("/api/bibliobuses"))!.Length);
    }

    [Fact]
    public async Task A_missing_body_is_a_400_problem()
    {
        await using var app = await TestApp.StartAsync();
        var director = await app.StaffClientAsync("director");
        await ProblemAssert.IsProblemAsync(await director.PostAsync("/api/branches", Json("")), HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(await director.PostAsync("/api/branches", Json("null")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unparsable_route_values_unknown_paths_and_wrong_methods_are_problems()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.CreateClient();
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/branches/abc"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/no-such-thing"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await client.DeleteAsync("/api/pickup-points"), HttpStatusCode.MethodNotAllowed);
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/pickup-points?all=maybe"), HttpStatusCode.BadRequest, null, "all");
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/staff/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_oversized_body_is_a_413_problem()
    {
        await using var app = await TestApp.StartAsync();
        var director = await app.StaffClientAsync("director");
        var huge = "{\"code\": \"BIG\", \"name\": \"" + new string('x', 2 * 1024 * 1024) + "\"}";
        await ProblemAssert.IsProblemAsync(await director.PostAsync("/api/branches", Json(huge)), HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact] // #15: Kestrel has no server-wide cap any more; each route's limit still holds for a body sent without a length
    public async Task A_chunked_body_over_the_route_limit_is_refused_by_the_real_server()
    {
        await using var app = await TestApp.StartAsync();
        app.StartOnSocket();
        var director = await app.StaffClientAsync("director");
        var huge = "{\"code\": \"BIG\", \"name\": \"" + new string('x', 2 * 1024 * 1024) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/branches") { Content = Json(huge) };
        request.Content.Headers.ContentLength = null;
        request.Headers.TransferEncodingChunked = true;
        var response = await director.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_enum_values_name_the_field()
    {
        await using var app = await TestApp.StartAsync();
        var director = await app.StaffClientAsync("director");
        await ProblemAssert.IsProblemAsync(await director.PutAsync("/api/stops/1/exceptions", Json("{\"date\": \"2026-03-12\", \"kind\": \"postponed\"}")),
            HttpStatusCode.BadRequest, null, "kind");
    }
}
