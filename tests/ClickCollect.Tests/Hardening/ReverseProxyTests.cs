using System.Net;
using ClickCollect.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ClickCollect.Tests.Hardening;

/// <summary>#14 items 3 and 8: behind a proxy, a burst from one client address throttles that address only.</summary>
public sealed class ReverseProxyTests
{
    const string Proxy = "10.0.0.5";

    /// <summary>Every request reaches the app from <see cref="Proxy"/>, as it would behind a reverse proxy.</summary>
    sealed class FromProxy : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext http, Func<Task> inner) => { http.Connection.RemoteIpAddress = IPAddress.Parse(Proxy); return inner(); });
            next(app);
        };
    }

    static async Task<HttpStatusCode[]> BurstAsync(HttpClient client, string address, int count)
    {
        var statuses = new HttpStatusCode[count];
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/pickup-points");
            request.Headers.Add("X-Forwarded-For", address);
            using var response = await client.SendAsync(request);
            statuses[i] = response.StatusCode;
        }
        return statuses;
    }

    [Fact]
    public async Task A_burst_of_700_from_one_address_is_throttled_while_another_address_keeps_working()
    {
        await using var app = await TestApp.StartAsync(new()
        {
            ["RateLimits:RequestsPerMinute"] = "600",
            ["ReverseProxy:KnownProxies:0"] = Proxy,
        });
        await using var proxied = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter, FromProxy>()));
        var client = proxied.CreateClient();

        var bot = await BurstAsync(client, "203.0.113.7", 700);
        Assert.Equal(600, bot.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(100, bot.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.All(await BurstAsync(client, "198.51.100.20", 5), s => Assert.Equal(HttpStatusCode.OK, s));
        var figures = $"burst behind a proxy: 700 requests from one address → {bot.Count(s => s == HttpStatusCode.TooManyRequests)} × 429; another address 5/5 × 200";
        var folder = Path.Combine(Contract.OpenApiDocumentTests.RepositoryRoot(), "artifacts", "reliability");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "burst.txt"), figures + "\n");
    }

    [Fact] // #14 item 3: outside Development, HTTPS only; the proxy's X-Forwarded-Proto says when the request was HTTPS
    public async Task Behind_the_proxy_HTTPS_gets_HSTS_and_a_Secure_cookie_and_plain_HTTP_is_redirected()
    {
        await using var app = await TestApp.StartAsync(new() { ["ReverseProxy:KnownProxies:0"] = Proxy });
        await using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production")
            .ConfigureServices(s => s.AddSingleton<IStartupFilter, FromProxy>()));
        var client = production.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var plain = new HttpRequestMessage(HttpMethod.Get, "http://bibliotheque.example.fr/api/pickup-points");
        plain.Headers.Add("X-Forwarded-For", "203.0.113.7");
        plain.Headers.Add("X-Forwarded-Proto", "http");
        var redirected = await client.SendAsync(plain);
        Assert.True((int)redirected.StatusCode is 307 or 308, redirected.StatusCode.ToString());
        Assert.Equal("https", redirected.Headers.Location?.Scheme);

        using var secure = new HttpRequestMessage(HttpMethod.Post, "http://bibliotheque.example.fr/api/patrons/sign-in")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { cardNumber = "P0001", pin = "1234" }),
        };
        secure.Headers.Add("X-Forwarded-For", "203.0.113.7");
        secure.Headers.Add("X-Forwarded-Proto", "https");
        var signedIn = await client.SendAsync(secure);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Contains("max-age=", signedIn.Headers.GetValues("Strict-Transport-Security").Single());
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("clickcollect=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Without_a_configured_proxy_a_forwarded_address_is_not_believed()
    {
        await using var app = await TestApp.StartAsync(new() { ["RateLimits:RequestsPerMinute"] = "20" });
        await using var proxied = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter, FromProxy>()));
        var client = proxied.CreateClient();
        Assert.Contains(HttpStatusCode.TooManyRequests, await BurstAsync(client, "203.0.113.7", 25));
        // A made-up X-Forwarded-For does not buy a fresh allowance.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await BurstAsync(client, "198.51.100.20", 1))[0]);
    }
}
