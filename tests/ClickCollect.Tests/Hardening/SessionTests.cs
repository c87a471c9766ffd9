using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ClickCollect.Tests.Hardening;

/// <summary>
/// #14 item 5: every token and page cookie belongs to a session kept on the server. Signing out on a
/// shared library PC ends it there, so a copied token or cookie is worth nothing; a director can end a
/// staff member's sessions.
/// </summary>
public abstract class SessionTests<TDb> where TDb : ITestDatabase, new()
{
    sealed record SignedIn(string Token, string Cookie);

    static async Task<SignedIn> SignInAsync(TestApp app, string path, object body)
    {
        var response = await app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false }).PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("clickcollect=", StringComparison.Ordinal)).Split(';')[0];
        return new(token, cookie);
    }

    static Task<SignedIn> StaffAsync(TestApp app, string username) =>
        SignInAsync(app, "/api/staff/sign-in", new { username, password = TestApp.DemoPassword });

    static async Task<HttpStatusCode> GetAsync(TestApp app, string path, string? token = null, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        return (await app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false }).SendAsync(request)).StatusCode;
    }

    static async Task<HttpStatusCode> PostAsync(TestApp app, string path, string? token = null, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
            request.Headers.Add("Sec-Fetch-Site", "same-origin"); // as the site's own page sends it
        }
        return (await app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false }).SendAsync(request)).StatusCode;
    }

    static async Task<long> StaffIdAsync(TestApp app, string username)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        return await c.ExecuteScalarAsync<long>("select id from staff where username = @username", new { username });
    }

    [Fact]
    public async Task Signing_out_on_the_page_ends_its_cookie_and_its_token_even_where_they_were_copied()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        // Tokens already read are remembered (#17): the session check alone must end them.
        Assert.IsType<RememberedTickets>(app.Service<Microsoft.Extensions.Options.IOptionsMonitor<BearerTokenOptions>>()
            .Get(BearerTokenDefaults.AuthenticationScheme).BearerTokenProtector);
        var patron = await SignInAsync(app, "/api/patrons/sign-in", new { cardNumber = "P0001", pin = "1234" });
        var other = await SignInAsync(app, "/api/patrons/sign-in", new { cardNumber = "P0001", pin = "1234" }); // the same reader on their phone
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/api/patrons/me", cookie: patron.Cookie));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/api/patrons/me", token: patron.Token));
        // The sessions in use are remembered (#17; on PostgreSQL while the sessions' listener listens): ending one must forget it.
        Assert.Equal(app.Service<SessionStore>().Remembering, app.Service<SessionStore>().Remembered > 0);

        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(app, "/api/sign-out", cookie: patron.Cookie));

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, "/api/patrons/me", cookie: patron.Cookie));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, "/api/patrons/me", token: patron.Token));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/api/patrons/me", token: other.Token)); // only that session ended
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(app, "/api/sign-out", token: other.Token)); // an API client signs out too
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, "/api/patrons/me", token: other.Token));
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(app, "/api/sign-out")); // nothing to end: still fine
    }

    [Fact]
    public async Task A_director_ends_every_session_of_a_staff_member_and_keeps_their_own()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var desk = await StaffAsync(app, "counter");
        var office = await StaffAsync(app, "counter");
        var director = await StaffAsync(app, "director");
        var counterId = await StaffIdAsync(app, "counter");

        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(app, $"/api/staff/{counterId}/sign-out", token: desk.Token));
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(app, $"/api/staff/{counterId}/sign-out", token: director.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, "/api/staff/me", token: desk.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, "/api/staff/me", cookie: office.Cookie));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/api/staff/me", token: director.Token));
        Assert.Equal(HttpStatusCode.NotFound, await PostAsync(app, "/api/staff/999999/sign-out", token: director.Token));

        // A director ending their own sessions keeps the one in use ("everywhere else").
        var directorElsewhere = await StaffAsync(app, "director");
        Assert.Equal(HttpStatusCode.NoContent, await PostAsync(app, $"/api/staff/{await StaffIdAsync(app, "director")}/sign-out", token: director.Token));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/api/staff/me", token: director.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, "/api/staff/me", token: directorElsewhere.Token));

        // Signing in again works at once.
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/api/staff/me", token: (await StaffAsync(app, "counter")).Token));
    }

    [Fact]
    public async Task A_new_password_a_new_role_or_a_disabled_account_ends_the_sessions_already_open()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var director = await StaffAsync(app, "director");
        var librarianId = await StaffIdAsync(app, "librarian");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", director.Token);

        var before = await StaffAsync(app, "librarian");
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/api/staff/me", token: before.Token)); // its session remembered (SQLite)
        (await client.PostAsJsonAsync($"/api/staff/{librarianId}/password", new { password = "a-new-long-password" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, "/api/staff/me", token: before.Token));

        var librarian = await SignInAsync(app, "/api/staff/sign-in", new { username = "librarian", password = "a-new-long-password" });
        var account = await client.GetFromJsonAsync<JsonElement[]>("/api/staff");
        var row = account!.Single(a => a.GetProperty("id").GetInt64() == librarianId);
        (await client.PutAsJsonAsync($"/api/staff/{librarianId}", new
        {
            displayName = row.GetProperty("displayName").GetString(), role = "counter", branchId = (long?)null, homePickupPointId = (long?)null, active = true,
        })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, "/api/staff/me", token: librarian.Token)); // its ticket said "librarian"

        var counter = await SignInAsync(app, "/api/staff/sign-in", new { username = "librarian", password = "a-new-long-password" });
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/api/staff/me", token: counter.Token));
        (await client.PutAsJsonAsync($"/api/staff/{librarianId}", new
        {
            displayName = row.GetProperty("displayName").GetString(), role = "counter", branchId = (long?)null, homePickupPointId = (long?)null, active = false,
        })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, "/api/staff/me", token: counter.Token));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/api/staff/me", token: director.Token));
    }
}

public sealed class SessionTests_Sqlite : SessionTests<SqliteTestDatabase>;
public sealed class SessionTests_Postgres : SessionTests<PostgresTestDatabase>;
