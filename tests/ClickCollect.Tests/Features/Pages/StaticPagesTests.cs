using System.Net;
using ClickCollect.Tests.Support;

namespace ClickCollect.Tests.Features.Pages;

// Smoke tests for the static pages (STYLE.md §11); the journeys are in ClickCollect.BrowserTests.
public sealed class StaticPagesTests
{
    [Theory]
    [InlineData("/", "/js/patron.js")]
    [InlineData("/staff/", "/staff/staff.js")]
    public async Task A_page_is_served_as_French_HTML_with_its_script_and_the_source_footer(string path, string script)
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"fr\">", html);
        Assert.Contains($"<script type=\"module\" src=\"{script}\"></script>", html);
        Assert.Contains("<a href=\"/source.zip\"", html);
        Assert.Contains("<a href=\"https://www.gnu.org/licenses/agpl-3.0.html\"", html);
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
