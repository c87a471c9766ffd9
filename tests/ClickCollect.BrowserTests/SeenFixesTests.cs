using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.BrowserTests;

// #10 item 8: what was seen trying the pages, each checked where it showed.
public sealed class SeenFixesTests
{
    [Fact]
    public async Task The_selection_form_draws_each_checkbox_beside_its_words_not_over_them()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.PatronAsync(app, "T9401");
        using var browser = new Browser(site);
        browser.Open("/#/connexion");
        browser.Type("#sign-in-card", "T9401");
        browser.Type("#sign-in-pin", DemoAccounts.Pin + Keys.Enter);
        browser.WaitFor("#greeting");

        browser.Open("/#/selection");
        browser.WaitFor("label.choice input[name=genres]");
        var overlaps = (long)browser.Script("""
            return Array.from(document.querySelectorAll('label.choice')).filter((label) => {
              const box = label.querySelector('input').getBoundingClientRect();
              const words = label.querySelector('span').getBoundingClientRect();
              return box.right > words.left + 1 && box.left < words.right;
            }).length;
            """)!;
        Assert.Equal(0, overlaps);
        Assert.Contains("Policier", browser.Find(".genre-choices").Text);
        browser.Find("[data-lang=en]").Click();
        browser.WaitUntil(() => browser.Find(".genre-choices").Text.Contains("Crime", StringComparison.Ordinal), "genres in English");
        browser.Screenshot("selection-form-checkboxes");
        Assert.Empty(browser.ScriptErrors());
    }

    [Fact]
    public async Task The_staff_header_stays_on_one_line_at_1280_px_for_a_director()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.StaffAsync(app, "director");
        using var browser = new Browser(site, Browser.DesktopWidth);
        browser.Open("/staff/");
        browser.Type("#staff-username", "director");
        browser.Type("#staff-password", DemoAccounts.Password + Keys.Enter);
        browser.WaitFor("#greeting");
        browser.WaitUntil(() => browser.Find("#nav-lockdowns").Displayed, "the director's sections");
        foreach (var language in new[] { "fr", "en" })
        {
            browser.Find($"[data-lang={language}]").Click();
            var rows = (long)browser.Script("""
                const tops = Array.from(document.querySelectorAll('#staff-nav li')).filter((li) => li.offsetParent).map((li) => li.offsetTop);
                return new Set(tops).size;
                """)!;
            Assert.True(rows == 1, $"the staff navigation takes {rows} lines in {language}");
            var header = (long)browser.Script("""
                // Items of different heights are centred on one line: on one line, they all share some height.
                const boxes = Array.from(document.querySelectorAll('.header-row > *')).filter((n) => n.offsetParent).map((n) => n.getBoundingClientRect());
                return Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom)) ? 1 : 2;
                """)!;
            Assert.True(header == 1, $"the staff header row takes {header} lines in {language}");
        }
        browser.Screenshot("staff-header-1280");
    }

    [Fact]
    public async Task An_unknown_address_shows_a_page_in_french_or_english_while_the_api_keeps_its_problem()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        using var browser = new Browser(site);

        browser.Open("/nulle-part/ici");
        Assert.Equal("Page introuvable", browser.WaitFor("main h1").Text);
        Assert.Equal("Page introuvable — ClickCollect — Bibliothèques", browser.Driver.Title);
        browser.Find("[data-lang=en]").Click();
        Assert.Equal("Page not found", browser.WaitForText("main h1", "Page not found"));
        Assert.Equal("/#/catalogue", new Uri(browser.Find("main a").GetAttribute("href")!).PathAndQuery + new Uri(browser.Find("main a").GetAttribute("href")!).Fragment);
        browser.Screenshot("not-found");
        Assert.Empty(browser.ScriptErrors());

        var client = app.CreateClient();
        var page = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/nulle-part") { Headers = { { "Accept", "text/html,application/xhtml+xml,*/*;q=0.8" } } });
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var api = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/nulle-part") { Headers = { { "Accept", "text/html,*/*;q=0.8" } } });
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
        var script = await client.GetAsync("/js/nulle-part.js");
        Assert.Equal(HttpStatusCode.NotFound, script.StatusCode);
        Assert.NotEqual("text/html", script.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_load_list_on_screen_has_the_call_number_and_says_no_appointment_in_english()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var buses = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/bibliobuses");
        var route = buses![0].GetProperty("routes")[0];
        var stop = route.GetProperty("stops")[0];
        var (title, _) = await BookAsync(app, "Livre du bibliobus", "Auteur, Test", "R TES 42", "Romans adultes", "CENTRALE");
        await ReadAsync(await (await PatronAsync(app, "P0001")).PostAsJsonAsync("/api/holds",
            new { titleId = title, pickupPointId = stop.GetProperty("pickupPointId").GetInt64() }), HttpStatusCode.Created);
        using var browser = new Browser(site);

        browser.Open($"/staff/#/bibliobus?route={route.GetProperty("id").GetInt64()}&date=2026-03-13");
        browser.Type("#staff-username", "counter");
        browser.Type("#staff-password", DemoAccounts.Password + Keys.Enter);
        var table = browser.WaitFor(".pick-table");
        Assert.Equal("Cote", table.FindElements(By.CssSelector("thead th"))[1].Text);
        Assert.StartsWith("R TES 42", table.FindElement(By.CssSelector("tbody td.call")).Text);
        Assert.Contains("sans rendez-vous", table.Text);
        Assert.EndsWith("— 1 document", table.FindElement(By.CssSelector("caption")).Text);
        Assert.StartsWith("1 document à charger", browser.Find("main .lead").Text);

        browser.Find("[data-lang=en]").Click();
        browser.WaitForText("main .lead", "1 item to load");
        Assert.Contains("no appointment", browser.Find(".pick-table").Text);
        Assert.DoesNotContain("sans rendez-vous", browser.Find(".pick-table").Text);
        Assert.Equal("Call number", browser.FindAll(".pick-table thead th")[1].Text);
        browser.Screenshot("load-list-call-numbers");
        Assert.Empty(browser.ScriptErrors());
    }
}
