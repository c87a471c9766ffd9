using System.Net;
using System.Net.Http.Json;
using System.Text;
using ClickCollect.Tests.Support;

namespace ClickCollect.Tests.Hardening;

/// <summary>#14 item 4: headers every answer carries, and what a page on another site cannot make a signed-in browser do.</summary>
public sealed class BrowserSafetyTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/staff/")]
    [InlineData("/api/pickup-points")]
    [InlineData("/api/no-such-thing")]
    public async Task Every_answer_carries_the_security_headers_and_no_server_banner(string path)
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.CreateClient().GetAsync(path);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task The_pages_have_no_inline_scripts()
    {
        await using var app = await TestApp.StartAsync();
        foreach (var page in new[] { "/", "/staff/" })
        {
            var html = await app.CreateClient().GetStringAsync(page);
            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=)[^>]*>", html);
            Assert.DoesNotMatch("\\son[a-z]+=\"", html);
        }
    }

    [Fact]
    public async Task A_state_change_with_the_page_cookie_must_come_from_our_own_pages()
    {
        await using var app = await TestApp.StartAsync();
        var client = app.CreateClient(); // keeps cookies
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = "P0001", pin = "1234" })).StatusCode);
        var titles = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/titles?q=camus");
        var title = titles.GetProperty("items")[0].GetProperty("id").GetInt64();

        HttpRequestMessage Hold(string? site, string? origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/holds") { Content = JsonContent.Create(new { titleId = title, pickupPointId = 1 }) };
            if (site is not null) request.Headers.Add("Sec-Fetch-Site", site);
            if (origin is not null) request.Headers.Add("Origin", origin);
            return request;
        }
        await ProblemAssert.IsProblemAsync(await client.SendAsync(Hold("cross-site", "https://evil.example")), HttpStatusCode.Forbidden, "cross_site_request");
        await ProblemAssert.IsProblemAsync(await client.SendAsync(Hold(null, "https://evil.example")), HttpStatusCode.Forbidden, "cross_site_request");
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(Hold("same-origin", "http://localhost"))).StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task Imports_refuse_what_an_html_form_can_post(string type)
    {
        await using var app = await TestApp.StartAsync();
        var director = await app.StaffClientAsync("director");
        var body = new StringContent("cardNumber,barcode,loanedOn,dueOn\n", Encoding.UTF8);
        body.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
        await ProblemAssert.IsProblemAsync(await director.PostAsync("/api/loans/import", body), HttpStatusCode.UnsupportedMediaType);
        await ProblemAssert.IsProblemAsync(await director.PostAsync("/api/catalogue/imports?format=csv", body), HttpStatusCode.UnsupportedMediaType);
    }
}
