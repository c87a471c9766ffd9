using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Auth;
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

    // #14: a progressive delay (30 s, 1, 2, 4 min…) instead of a hard 15-minute lock anyone could impose.
    [Fact]
    public async Task Wrong_pins_in_a_row_delay_the_card_longer_and_longer_and_the_right_pin_waits_too()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var client = app.CreateClient();
        Task<HttpResponseMessage> Try(string pin) => client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0002", pin });
        for (var i = 0; i < 5; i++) await ProblemAssert.IsProblemAsync(await Try("9999"), HttpStatusCode.Unauthorized, "sign_in_failed");
        // Delayed 30 s: even the right PIN is refused, with the answer a wrong one gets.
        await ProblemAssert.IsProblemAsync(await Try("1234"), HttpStatusCode.Unauthorized, "sign_in_failed");
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        await ProblemAssert.IsProblemAsync(await Try("9999"), HttpStatusCode.Unauthorized, "sign_in_failed"); // 6th: one minute now
        app.Clock.Advance(TimeSpan.FromSeconds(45));
        await ProblemAssert.IsProblemAsync(await Try("1234"), HttpStatusCode.Unauthorized, "sign_in_failed");
        app.Clock.Advance(TimeSpan.FromSeconds(16));
        Assert.Equal(HttpStatusCode.OK, (await Try("1234")).StatusCode);
    }

    [Fact]
    public async Task A_delayed_card_answers_exactly_as_an_unknown_card()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var client = app.CreateClient();
        for (var i = 0; i < 5; i++) await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0004", pin = "9999" });
        var locked = await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0004", pin = "1234" });
        var unknown = await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "Z9999", pin = "1234" });
        Assert.Equal(unknown.StatusCode, locked.StatusCode);
        static string WithoutTrace(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\"traceId\":\"[^\"]*\"", "");
        Assert.Equal(WithoutTrace(await unknown.Content.ReadAsStringAsync()), WithoutTrace(await locked.Content.ReadAsStringAsync()));
        Assert.Equal(unknown.Headers.Select(h => h.Key).Order(), locked.Headers.Select(h => h.Key).Order());
    }

    [Fact]
    public async Task A_director_lifts_the_delay_on_a_staff_account()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var client = app.CreateClient();
        var director = await app.StaffClientAsync("director");
        for (var i = 0; i < 8; i++) await client.PostAsJsonAsync("/api/staff/sign-in", new { username = "counter", password = "wrong" });
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/staff/sign-in", new { username = "counter", password = TestApp.DemoPassword }),
            HttpStatusCode.Unauthorized, "sign_in_failed");
        var counterId = (await director.GetFromJsonAsync<JsonElement[]>("/api/staff"))!.Single(s => s.GetProperty("username").GetString() == "counter").GetProperty("id").GetInt64();
        var librarian = await app.StaffClientAsync("librarian");
        Assert.Equal(HttpStatusCode.Forbidden, (await librarian.PostAsync($"/api/staff/{counterId}/unlock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await director.PostAsync($"/api/staff/{counterId}/unlock", null)).StatusCode);
        await ProblemAssert.IsProblemAsync(await director.PostAsync("/api/staff/999999/unlock", null), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/staff/sign-in", new { username = "counter", password = TestApp.DemoPassword })).StatusCode);
    }

    [Fact]
    public async Task Guessing_one_pin_on_many_cards_from_one_address_is_throttled()
    {
        await using var app = await TestApp.StartAsync<TDb>(new() { ["RateLimits:SignInFailuresPerAddress"] = "10" });
        var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var card = 10; card < 25; card++)
            statuses.Add((await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = $"P00{card}", pin = "0000" })).StatusCode);
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        // The right PIN from that address waits too; the throttle answers before any account is looked at.
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0001", pin = "1234" }),
            HttpStatusCode.TooManyRequests, "rate_limited");
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

    // #14: the attempt is counted and the delay set in one conditional write before the PIN is checked.
    [Fact]
    public async Task Forty_parallel_wrong_pins_check_at_most_five_and_the_right_pin_is_refused_while_delayed()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            app.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0003", pin = i == 20 ? "1234" : "0000" })));
        var db = app.Service<ClickCollect.Api.Infrastructure.Database.Db>();
        await using (var connection = await db.OpenAsync(CancellationToken.None))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "select failed_sign_ins from patrons where card_number = 'P0003'";
            var checkedAttempts = Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            // Each checked PIN needed a claim; a success in the first five resets the count to zero.
            Assert.InRange(checkedAttempts, 0, SignInGuard.FreeAttempts);
        }
        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.OK) <= 1);
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized, $"{a.StatusCode}"));
        if (answers.All(a => a.StatusCode != HttpStatusCode.OK))
            await ProblemAssert.IsProblemAsync(await app.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0003", pin = "1234" }),
                HttpStatusCode.Unauthorized, "sign_in_failed");
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
    public async Task The_limit_counts_a_minute_of_the_app_clock_and_says_when_to_come_back()
    {
        await using var app = await TestApp.StartAsync(new() { ["RateLimits:SignInPerMinute"] = "2" });
        var client = app.CreateClient();
        for (var i = 0; i < 2; i++)
            await client.PostAsJsonAsync("/api/staff/sign-in", new { username = "director", password = "wrong" });
        app.Clock.Advance(TimeSpan.FromSeconds(20));
        var limited = await client.PostAsJsonAsync("/api/staff/sign-in", new { username = "director", password = TestApp.DemoPassword });
        Assert.Equal((HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(40)), (limited.StatusCode, limited.Headers.RetryAfter?.Delta));

        app.Clock.Advance(TimeSpan.FromSeconds(40));         // the window is over on the app's clock: no real minute waited
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/staff/sign-in", new { username = "director", password = TestApp.DemoPassword })).StatusCode);
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
