using System.Net;
using ClickCollect.Tests.Support;

namespace ClickCollect.Tests.Features.Pages;

// Smoke tests for the static pages (STYLE.md §11); the journeys are in ClickCollect.BrowserTests.
public sealed class StaticPagesTests
{
    [Theory]
    [InlineData("/", "/js/patron.js")]
    [InlineData("/staff/", "/staff/staff.js")]
    public async Task A_page_is_served_as_French_HTML_with_its_script_and_the_licence_footer(string path, string script)
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"fr\">", html);
        Assert.Contains($"<script type=\"module\" src=\"{script}\"></script>", html);
        Assert.Contains("<a href=\"https://www.apache.org/licenses/LICENSE-2.0\" rel=\"license\">Apache-2.0</a>", html);
        Assert.DoesNotContain("source.zip", html);
    }

    // #14: the build used to zip every file of the working tree (a local .env, production settings)
    // and serve it at /source.zip. Nothing of the tree is served but wwwroot.
    [Theory]
    [InlineData("/source.zip")]
    [InlineData("/appsettings.json")]
    [InlineData("/ClickCollect.Api.dll")]
    public async Task Nothing_outside_the_pages_is_served(string path)
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "source.zip")), "the build no longer packs the source");
    }

    [Theory]
    [InlineData("/js/i18n.js", "text/javascript")]
    [InlineData("/staff/sms.js", "text/javascript")]
    [InlineData("/css/site.css", "text/css")]
    [InlineData("/css/print.css", "text/css")]
    public async Task Scripts_and_stylesheets_are_served_with_their_types(string path, string type)
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
    }

    // No build step means no hashed file names: a browser must revalidate (a 304 when unchanged), or
    // after a deploy it could run an old module beside a new one.
    [Theory]
    [InlineData("/js/patron.js")]
    [InlineData("/js/calendar.js")]
    [InlineData("/css/site.css")]
    [InlineData("/")]
    public async Task Pages_scripts_and_stylesheets_are_revalidated_on_every_load(string path)
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoCache, $"{path}: Cache-Control is “{response.Headers.CacheControl}”");
    }
}
