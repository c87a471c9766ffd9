using System.Net;
using System.Text.Json;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;

namespace ClickCollect.BrowserTests;

public sealed class CataloguePageTests
{
    // Against the app's own GET /api/titles: the page shows what the API answers — the titles when
    // there are some, "no result" when there are none, and a calm message when the API fails (or is
    // not there yet: the catalogue feature is built on another branch).
    [Fact]
    public async Task The_catalogue_shows_what_the_titles_API_answers()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        using var http = new HttpClient { BaseAddress = site };
        var response = await http.GetAsync("/api/titles");
        using var browser = new Browser(site);

        browser.Open("/#/catalogue");
        var section = browser.WaitFor("section.catalogue", e => e.GetAttribute("data-state") != "loading");
        var status = browser.Find("main .result-status").Text;

        if (response.StatusCode == HttpStatusCode.OK)
        {
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var items = answer.RootElement.GetProperty("items");
            var total = answer.RootElement.GetProperty("total").GetInt32();
            if (total == 0)
            {
                Assert.Equal("empty", section.GetAttribute("data-state"));
                Assert.StartsWith("Aucun titre", status);
            }
            else
            {
                Assert.Equal("results", section.GetAttribute("data-state"));
                Assert.Contains("trouvé", status);
                Assert.Equal(items.GetArrayLength(), browser.FindAll("main .title-card").Count);
                Assert.Equal(items[0].GetProperty("title").GetString(), browser.Find("main .title-card .title-name").Text);
            }
        }
        else
        {
            Assert.Equal("error", section.GetAttribute("data-state"));
            Assert.Equal("Le catalogue ne répond pas pour le moment. Réessayez dans un instant.", status);
            Assert.Empty(browser.FindAll("main .title-card"));
        }
        // Either way the search form is there and usable.
        Assert.Equal(4, browser.FindAll("#catalogue-audience option").Count);
        Assert.Equal(7, browser.FindAll("#catalogue-format option").Count);
        Assert.True(browser.Find("form.search-form button[type=submit]").Enabled);
        Assert.Empty(browser.ScriptErrors());
        browser.Screenshot("catalogue-real-api");
    }

    [Fact]
    public async Task Titles_show_in_French_with_their_availability_and_pages()
    {
        await using var app = await TestApp.StartAsync();
        var (stub, site) = CatalogueContractStub.Serve(app);
        using var browser = new Browser(site, Browser.PhoneWidth);

        browser.Open("/#/catalogue");
        Assert.Equal("23 titres trouvés", browser.WaitForText("main .result-status", "trouvés"));
        var cards = browser.FindAll("main .title-card");
        Assert.Equal(10, cards.Count);
        Assert.Equal("Les Misérables", cards[0].FindElement(By.CssSelector(".title-name")).Text);
        Assert.Equal("Victor Hugo", cards[0].FindElement(By.CssSelector(".authors")).Text);
        Assert.Equal("Gallimard, 1995", cards[0].FindElement(By.CssSelector(".published")).Text);
        Assert.Equal(["Adulte", "Livre"], cards[0].FindElements(By.CssSelector(".tag")).Select(t => t.Text).ToArray());
        Assert.Equal("3 exemplaires disponibles", cards[0].FindElement(By.CssSelector(".availability")).Text);
        Assert.Equal("Aucun exemplaire disponible pour le moment", cards[1].FindElement(By.CssSelector(".availability")).Text);
        Assert.Equal(["Adulte", "Gros caractères"], cards[2].FindElements(By.CssSelector(".tag")).Select(t => t.Text).ToArray());
        Assert.Equal("1 exemplaire disponible", cards[2].FindElement(By.CssSelector(".availability")).Text);
        Assert.Equal("René Goscinny, Albert Uderzo", cards[4].FindElement(By.CssSelector(".authors")).Text);
        Assert.Equal("Page 1 sur 3", browser.Find("main .paging .page-number").Text);
        Assert.False(browser.FindAll("main .paging button")[0].Enabled);
        browser.Screenshot("catalogue-results");

        browser.FindAll("main .paging button")[1].Click();

        Assert.Equal("Page 2 sur 3", browser.WaitForText("main .paging .page-number", "Page 2"));
        Assert.Equal("Les Trois Mousquetaires", browser.WaitForText("main .title-card .title-name", "Mousquetaires"));
        Assert.Contains("page=2", (string)browser.Script("return location.hash;")!);
        Assert.Equal("?page=2", stub.TitleQueries.Last().Value);
        Assert.Empty(browser.ScriptErrors());
    }

    [Fact]
    public async Task A_search_sends_its_words_and_filters_and_stays_in_the_address()
    {
        await using var app = await TestApp.StartAsync();
        var (stub, site) = CatalogueContractStub.Serve(app);
        using var browser = new Browser(site);

        browser.Open("/#/catalogue");
        browser.WaitForText("main .result-status", "trouvés");
        browser.Type("#catalogue-q", "tintin");
        browser.Find("#catalogue-audience option[value=youth]").Click();
        browser.Find("#catalogue-format option[value=comics]").Click();
        var stop = browser.WaitFor("#catalogue-pickup optgroup[label='Médiathèque centrale'] option[value='4']");
        Assert.Equal("Place du Marché (arrêt du bibliobus)", stop.Text);
        stop.Click();
        browser.Find("form.search-form button[type=submit]").Click();

        Assert.Equal("1 titre trouvé", browser.WaitForText("main .result-status", "1 titre"));
        Assert.Equal("Tintin au Tibet", browser.Find("main .title-card .title-name").Text);
        Assert.Equal("?q=tintin&audience=youth&format=comics&pickupPointId=4", stub.TitleQueries.Last().Value);

        // A reload (or a bookmark) gives the same search back.
        browser.Driver.Navigate().Refresh();
        Assert.Equal("1 titre trouvé", browser.WaitForText("main .result-status", "1 titre"));
        Assert.Equal("tintin", browser.Find("#catalogue-q").GetAttribute("value"));
        Assert.Equal("youth", browser.Find("#catalogue-audience").GetAttribute("value"));
        Assert.Equal("comics", browser.Find("#catalogue-format").GetAttribute("value"));
        browser.WaitUntil(() => browser.Find("#catalogue-pickup").GetAttribute("value") == "4", "the pickup point comes back");
        browser.Screenshot("catalogue-search");

        browser.Type("#catalogue-q", "introuvable");
        browser.Find("form.search-form button[type=submit]").Click();
        Assert.StartsWith("Aucun titre ne correspond", browser.WaitForText("main .result-status", "Aucun"));
        Assert.Empty(browser.FindAll("main .paging button"));
    }

    [Fact]
    public async Task When_the_titles_API_fails_the_page_says_so_calmly_and_recovers()
    {
        await using var app = await TestApp.StartAsync();
        var (stub, site) = CatalogueContractStub.Serve(app);
        stub.Failing = true;
        using var browser = new Browser(site, Browser.PhoneWidth);

        browser.Open("/#/catalogue?q=zola");
        var status = browser.WaitFor("main .result-status.error");
        Assert.Equal("Le catalogue ne répond pas pour le moment. Réessayez dans un instant.", status.Text);
        browser.Screenshot("catalogue-error");

        stub.Failing = false;
        browser.Find("form.search-form button[type=submit]").Click();
        Assert.Equal("1 titre trouvé", browser.WaitForText("main .result-status", "trouvé"));
        Assert.Equal("Germinal", browser.Find("main .title-card .title-name").Text);
    }

    // print.css is what pick lists will print with: content and footer stay, navigation and controls go.
    [Fact]
    public async Task Printing_keeps_the_results_and_the_footer_and_drops_navigation_and_controls()
    {
        await using var app = await TestApp.StartAsync();
        var (_, site) = CatalogueContractStub.Serve(app);
        using var browser = new Browser(site);

        browser.Open("/#/catalogue?format=book");
        browser.WaitForText("main .result-status", "trouvés");
        browser.EmulatePrint();

        foreach (var hidden in new[] { ".site-nav", ".lang-switch", "form.search-form", "main .paging" })
            Assert.False(browser.Find(hidden).Displayed, hidden);
        Assert.True(browser.Find("main .title-card").Displayed);
        Assert.True(browser.Find("footer a[rel=license]").Displayed);
        Assert.Equal("rgba(0, 0, 0, 1)", browser.Find("main .title-card .availability").GetCssValue("color"));
        Assert.True(new FileInfo(browser.SavePdf("catalogue-print")).Length > 1000);
    }
}
