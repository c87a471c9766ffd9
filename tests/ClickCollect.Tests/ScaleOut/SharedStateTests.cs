using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;

namespace ClickCollect.Tests.ScaleOut;

/// <summary>
/// #18 item 1: nothing instance-local. Two app instances on one database (as behind a load balancer):
/// what one issues or counts, the other honours.
/// </summary>
public abstract class SharedStateTests<TDb> where TDb : ITestDatabase, new()
{
    static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { [TestApp.KeysInDatabase] = "true" };
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return settings;
    }

    [Fact]
    public async Task A_token_and_a_cookie_issued_by_one_instance_work_on_another_sharing_the_database()
    {
        await using var first = await TestApp.StartAsync<TDb>(Settings());
        await using var second = TestApp.StartOn(first, Settings());

        var signIn = await first.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0001", pin = "1234" });
        signIn.EnsureSuccessStatusCode();
        var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("clickcollect=", StringComparison.Ordinal)).Split(';')[0];

        var byToken = second.CreateClient();
        byToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var me = await byToken.GetAsync("/api/patrons/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal("P0001", (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cardNumber").GetString());

        var byCookie = second.CreateClient();
        byCookie.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await byCookie.GetAsync("/api/patrons/me")).StatusCode);

        // One key ring, in the database: both instances used the same key.
        await using var c = await first.Service<Db>().OpenAsync(default);
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("select count(*) from data_protection_keys"));
    }

    [Fact]
    public async Task Failed_sign_ins_from_one_address_are_counted_across_instances()
    {
        var limits = Settings(new() { ["RateLimits:SignInFailuresPerAddress"] = "3" });
        await using var first = await TestApp.StartAsync<TDb>(limits);
        await using var second = TestApp.StartOn(first, limits);

        for (var card = 10; card < 12; card++)
            await ProblemAssert.IsProblemAsync(await first.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = $"P00{card}", pin = "0000" }),
                HttpStatusCode.Unauthorized, "sign_in_failed");
        await ProblemAssert.IsProblemAsync(await second.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0012", pin = "0000" }),
            HttpStatusCode.Unauthorized, "sign_in_failed");

        // The third failure was on the other instance; both now refuse that address, the right PIN included.
        foreach (var app in new[] { first, second })
            await ProblemAssert.IsProblemAsync(await app.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0001", pin = "1234" }),
                HttpStatusCode.TooManyRequests, "rate_limited");

        // The window slides: once the oldest failure is 15 minutes old, one attempt comes back.
        first.Clock.Advance(TimeSpan.FromMinutes(15));
        second.Clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HttpStatusCode.OK, (await second.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0001", pin = "1234" })).StatusCode);
    }
}

public sealed class SharedStateTests_Sqlite : SharedStateTests<SqliteTestDatabase>;
public sealed class SharedStateTests_Postgres : SharedStateTests<PostgresTestDatabase>;

/// <summary>
/// PostgreSQL runs several instances, each remembering the sessions in use (#17): a session ended on one must stop
/// working on the others (SQLite is served by one instance).
/// </summary>
public sealed class SessionsAcrossInstancesTests_Postgres
{
    [Fact]
    public async Task A_session_ended_on_one_instance_ends_on_another_that_remembers_it()
    {
        var settings = new Dictionary<string, string?> { [TestApp.KeysInDatabase] = "true" };
        await using var first = await TestApp.StartAsync<PostgresTestDatabase>(settings);
        await using var second = TestApp.StartOn(first, settings);
        var sessions = second.Service<SessionStore>();
        await WaitUntilAsync(() => sessions.Remembering); // once its listener listens

        var signIn = await first.CreateClient().PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0001", pin = "1234" });
        signIn.EnsureSuccessStatusCode();
        var token = (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        var byToken = second.CreateClient();
        byToken.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await byToken.GetAsync("/api/patrons/me")).StatusCode);
        Assert.Equal(1, sessions.Remembered); // the second instance reads that session no more (#17)

        var signOut = first.CreateClient();
        signOut.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.NoContent, (await signOut.PostAsync("/api/sign-out", null)).StatusCode);

        // The end is heard by the other instance (SessionsListener) as soon as PostgreSQL delivers it.
        await WaitUntilAsync(() => sessions.Remembered == 0);
        Assert.Equal(HttpStatusCode.Unauthorized, (await byToken.GetAsync("/api/patrons/me")).StatusCode);
    }

    static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "not within 10 s");
            await Task.Delay(10);
        }
    }
}
