using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;

namespace ClickCollect.Tests.Features.Accounts;

public abstract class SignInTests<TDb> where TDb : ITestDatabase, new()
{
    [Fact]
    public async Task Demo_staff_sign_in_and_their_token_opens_staff_calls()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var client = app.CreateClient();
        foreach (var role in new[] { "counter", "librarian", "director" })
        {
            var response = await client.PostAsJsonAsync("/api/staff/sign-in", new { username = role, password = TestApp.DemoPassword });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(role, body.GetProperty("role").GetString());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("accessToken").GetString()));

            var me = new HttpRequestMessage(HttpMethod.Get, "/api/staff/me");
            me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("accessToken").GetString());
            var meBody = await (await app.CreateClient().SendAsync(me)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(role, meBody.GetProperty("username").GetString());
        }
    }

    [Fact]
    public async Task A_demo_patron_signs_in_with_card_and_pin_whatever_the_case_of_the_card()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var response = await app.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "p0007", pin = "1234" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("patron", body.GetProperty("role").GetString());
        Assert.Equal("P0007", body.GetProperty("cardNumber").GetString());

        var patron = await app.PatronClientAsync("P0007");
        var me = await patron.GetFromJsonAsync<JsonElement>("/api/patrons/me");
        Assert.Equal("P0007", me.GetProperty("cardNumber").GetString());
        await ProblemAssert.IsProblemAsync(await patron.GetAsync("/api/staff/me"), HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(await patron.GetAsync("/api/patrons/P0008"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Wrong_secrets_answer_401_problems_and_unknown_accounts_look_the_same()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var client = app.CreateClient();
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/staff/sign-in", new { username = "director", password = "wrong" }),
            HttpStatusCode.Unauthorized, "sign_in_failed");
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/staff/sign-in", new { username = "nobody", password = "wrong" }),
            HttpStatusCode.Unauthorized, "sign_in_failed");
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0001", pin = "0000" }),
            HttpStatusCode.Unauthorized, "sign_in_failed");
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "", pin = "" }),
            HttpStatusCode.BadRequest, null, "cardNumber", "pin");
    }

    [Fact]
    public async Task Five_wrong_pins_in_a_row_lock_the_card_for_fifteen_minutes()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var client = app.CreateClient();
        for (var i = 0; i < 4; i++)
            await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0002", pin = "9999" }),
                HttpStatusCode.Unauthorized, "sign_in_failed");
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0002", pin = "9999" }),
            HttpStatusCode.Unauthorized, "account_locked");
        // Locked: even the right PIN is refused…
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0002", pin = "1234" }),
            HttpStatusCode.Unauthorized, "account_locked");
        app.Clock.Advance(TimeSpan.FromMinutes(14));
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0002", pin = "1234" }),
            HttpStatusCode.Unauthorized, "account_locked");
        // …until fifteen minutes have passed.
        app.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0002", pin = "1234" })).StatusCode);
    }

    [Fact]
    public async Task A_success_resets_the_count_of_wrong_passwords()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var client = app.CreateClient();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 4; i++)
                await client.PostAsJsonAsync("/api/staff/sign-in", new { username = "librarian", password = "wrong" });
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/staff/sign-in", new { username = "librarian", password = TestApp.DemoPassword })).StatusCode);
        }
    }

    [Fact]
    public async Task Parallel_wrong_guesses_cannot_slip_past_the_lock()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            app.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0003", pin = "0000" })));
        await ProblemAssert.IsProblemAsync(await app.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0003", pin = "1234" }),
            HttpStatusCode.Unauthorized, "account_locked");
    }

    [Fact]
    public async Task A_director_registers_staff_and_patrons_with_normalised_phone_numbers()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await app.StaffClientAsync("director");
        var staff = await director.PostAsJsonAsync("/api/staff", new { username = "a.dupont", displayName = "Anne Dupont", role = "librarian", password = "une-phrase-longue" });
        Assert.Equal(HttpStatusCode.Created, staff.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().PostAsJsonAsync("/api/staff/sign-in", new { username = "A.Dupont", password = "une-phrase-longue" })).StatusCode);
        await ProblemAssert.IsProblemAsync(await director.PostAsJsonAsync("/api/staff", new { username = "a.dupont", displayName = "Autre", role = "counter", password = "une-phrase-longue" }),
            HttpStatusCode.Conflict, "username_taken");

        var patron = await director.PostAsJsonAsync("/api/patrons", new { cardNumber = "P9001", pin = "4321", firstName = "Hélène", lastName = "Lefèvre", phone = "06 12 34 56 78", smsConsent = true });
        var body = await patron.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, patron.StatusCode);
        Assert.Equal("+33612345678", body.GetProperty("phone").GetString());
        await ProblemAssert.IsProblemAsync(await director.PostAsJsonAsync("/api/patrons", new { cardNumber = "P9002", pin = "12", firstName = "A", lastName = "B", phone = "12 34", homeBranchId = 1 }),
            HttpStatusCode.BadRequest, null, "pin", "phone");
        await ProblemAssert.IsProblemAsync(await director.PostAsJsonAsync("/api/patrons", new { cardNumber = "P9003", pin = "1234", firstName = "A", lastName = "B", homeBranchId = 999 }),
            HttpStatusCode.BadRequest, null, "homeBranchId");
        var found = await director.GetFromJsonAsync<JsonElement[]>("/api/patrons?q=lefèvre");
        Assert.Contains(found!, p => p.GetProperty("cardNumber").GetString() == "P9001");
    }
}

public sealed class SignInTests_Sqlite : SignInTests<SqliteTestDatabase>
{
    [Fact]
    public async Task Sign_in_is_rate_limited_per_client_address()
    {
        await using var app = await TestApp.StartAsync(new() { ["RateLimits:SignInPerMinute"] = "3" });
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
            await client.PostAsJsonAsync("/api/staff/sign-in", new { username = "director", password = "wrong" });
        var limited = await client.PostAsJsonAsync("/api/staff/sign-in", new { username = "director", password = TestApp.DemoPassword });
        await ProblemAssert.IsProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate_limited");
    }

    [Fact]
    public async Task Anonymous_and_patron_calls_are_rate_limited_but_staff_are_not()
    {
        await using var app = await TestApp.StartAsync(new() { ["RateLimits:RequestsPerMinute"] = "5" });
        var staff = app.ClientAs(new ClickCollect.Api.Infrastructure.Auth.CurrentUser(1, "counter", "Test", null));
        var anonymous = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++) statuses.Add((await anonymous.GetAsync("/api/pickup-points")).StatusCode);
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync("/api/pickup-points"), HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/pickup-points")).StatusCode);
    }
}

public sealed class SignInTests_Postgres : SignInTests<PostgresTestDatabase>;
