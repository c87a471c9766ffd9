using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Tests.Support.Databases;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ClickCollect.Tests.Support;

/// <summary>
/// The whole app in-process, on a database of its own (a copy of the seeded template unless told
/// otherwise), with a <see cref="FakeTimeProvider"/> and ephemeral data-protection keys.
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    readonly string provider;
    readonly string connectionString;
    readonly Dictionary<string, string?> settings;

    /// <summary>Tuesday 10 March 2026, 09:00 in Paris (08:00 UTC): an ordinary opening morning.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The app's clock (Microsoft.Extensions.Time.Testing): it moves only when the test says, forward only, and
    /// timers made from it (the workers' PeriodicTimer) fire as it passes their due time.
    /// </summary>
    public FakeTimeProvider Clock { get; } = new(DefaultStart);

    TestApp(string provider, string connectionString, Dictionary<string, string?>? settings)
    {
        this.provider = provider;
        this.connectionString = connectionString;
        this.settings = settings ?? [];
    }

    /// <summary>An app on a copy of the seeded template of <typeparamref name="TDb"/>.</summary>
    public static async Task<TestApp> StartAsync<TDb>(Dictionary<string, string?>? settings = null) where TDb : ITestDatabase, new()
    {
        var db = new TDb();
        return new TestApp(db.Provider, await db.CreateSeededAsync(), settings);
    }

    /// <summary>An app on a database made by the caller (a connection string with its own options).</summary>
    public static TestApp On(string provider, string connectionString, Dictionary<string, string?>? settings = null) =>
        new(provider, connectionString, settings);

    /// <summary>An app on a copy of the seeded SQLite template.</summary>
    public static Task<TestApp> StartAsync(Dictionary<string, string?>? settings = null) => StartAsync<SqliteTestDatabase>(settings);

    /// <summary>
    /// A second app instance on <paramref name="first"/>'s database (scale-out: two instances, one
    /// database), its clock set to the first one's.
    /// </summary>
    public static TestApp StartOn(TestApp first, Dictionary<string, string?>? settings = null)
    {
        var second = new TestApp(first.provider, first.connectionString, settings);
        second.Clock.SetUtcNow(first.Clock.GetUtcNow());
        return second;
    }

    /// <summary>An app on a database of the test's own (a restored backup, say).</summary>
    public static Task<TestApp> StartOnAsync(string provider, string connectionString, Dictionary<string, string?>? settings = null) =>
        Task.FromResult(new TestApp(provider, connectionString, settings));

    /// <summary>An app on a database with nothing in it (the app migrates it on start).</summary>
    public static async Task<TestApp> StartEmptyAsync<TDb>(Dictionary<string, string?>? settings = null) where TDb : ITestDatabase, new()
    {
        var db = new TDb();
        return new TestApp(db.Provider, await db.CreateEmptyAsync(), settings);
    }

    /// <summary>Migrates and seeds a template database by starting the app on it once.</summary>
    internal static async Task PrepareTemplateAsync(string provider, string connectionString)
    {
        await using var app = new TestApp(provider, connectionString, new() { ["Demo:Seed"] = "true", ["Demo:History"] = "false" });
        _ = app.Services; // starting the host migrates and seeds
    }

    public string Provider => provider;
    public string ConnectionString => connectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", provider);
        builder.UseSetting("ConnectionStrings:ClickCollect", connectionString);
        builder.UseSetting("Demo:Seed", "false");
        // Tests call the API in bursts from one address; the rate-limit tests set their own limits.
        builder.UseSetting("RateLimits:SignInPerMinute", "100000");
        builder.UseSetting("RateLimits:RequestsPerMinute", "100000");
        builder.UseSetting("RateLimits:SignInFailuresPerAddress", "100000");
        // Nothing leaves the machine, even with credentials: Twilio calls go to the discard port unless
        // a test points them at a FakeTwilio. The SMS jobs run when a test calls them, not on their own.
        builder.UseSetting("Twilio:BaseUrl", "http://127.0.0.1:9/");
        builder.UseSetting("Sms:RunInBackground", "false");
        // The daily retention job (issue 16) too: its tests call RetentionWorker.RunTodayAsync.
        builder.UseSetting("Retention:RunInBackground", "false");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton(Clock);
            // Keys in memory: nothing written to disk, and each app's tokens are its own; unless the test
            // asks for the app's own key ring in the database (KeysInDatabase), to share it between instances.
            if (!this.settings.ContainsKey(KeysInDatabase))
                services.AddSingleton<IDataProtectionProvider, EphemeralDataProtectionProvider>();
        });
    }

    /// <summary>A setting (any value) that keeps the app's data-protection key ring in its database, as in production.</summary>
    public const string KeysInDatabase = "Test:KeysInDatabase";

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The running background worker of type <typeparamref name="T"/>, to call its RunOnceAsync.</summary>
    public T Worker<T>() => Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<T>().Single();

    /// <summary>
    /// Serves the app on a real socket (Kestrel on 127.0.0.1, a free port) instead of in-process, so a
    /// browser can reach it, and returns its address. Call it first: once anything has touched
    /// <see cref="Service{T}"/> or a client, the in-process server is already running.
    /// </summary>
    public Uri StartOnSocket()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        return ClientOptions.BaseAddress;
    }

    /// <summary>A client carrying a token for <paramref name="user"/>, minted directly (no sign-in round trip).</summary>
    internal HttpClient ClientAs(CurrentUser user)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Service<TokenIssuer>().IssueAsync(user, default).GetAwaiter().GetResult().AccessToken);
        return client;
    }

    /// <summary>A client signed in through the real endpoint as a demo staff member (counter, librarian, director).</summary>
    public async Task<HttpClient> StaffClientAsync(string username = "director")
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/staff/sign-in", new { username, password = DemoPassword });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenBody>())!.AccessToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client signed in through the real endpoint as a demo patron.</summary>
    public async Task<HttpClient> PatronClientAsync(string cardNumber = "P0001")
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber, pin = "1234" });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenBody>())!.AccessToken;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public const string DemoPassword = "clickcollect-demo";

    sealed record TokenBody(string AccessToken);
}
