using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;

namespace ClickCollect.BrowserTests;

/// <summary>Issue 11: the director runs the network from the pages and reads the figures.</summary>
public sealed class DirectorPagesTests
{
    static void SignIn(Browser browser, string username, string password)
    {
        browser.Type("#staff-username", username);
        browser.Type("#staff-password", password);
        browser.Find("form.sign-in button[type=submit]").Click();
    }

    /// <summary>Chooses the option with this text, as a keyboard user would, and lets the page hear the change.</summary>
    static void Choose(Browser browser, IWebElement select, string text) =>
        browser.Script("""
            var s = arguments[0];
            for (var i = 0; i < s.options.length; i++) if (s.options[i].text === arguments[1]) s.selectedIndex = i;
            s.dispatchEvent(new Event('change', { bubbles: true }));
            """, select, text);

    static async Task<JsonElement[]> SlotsAsync(TestApp app, long point, string day) =>
        (await app.CreateClient().GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{point}/slots?from={day}&to={day}"))!;

    [Fact]
    public async Task A_director_closes_a_day_whose_slots_disappear_creates_an_account_that_signs_in_and_reads_the_charts()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var quarter = await Library.PickupPointIdAsync(app, Library.Quarter);
        Assert.NotEmpty(await SlotsAsync(app, quarter, "2026-03-11")); // Wednesday afternoon hours
        using var browser = new Browser(site);

        browser.Open("/staff/#/reseau");
        SignIn(browser, "director", DemoAccounts.Password);
        browser.WaitForText("main h1", "Réseau");
        Choose(browser, browser.Find("#net-point"), Library.Quarter);
        browser.WaitFor("table.month");
        browser.Script("document.getElementById('net-closure-from').value = '2026-03-11';");
        browser.Type("#net-closure-reason", "Inventaire");
        browser.Find(".net-closure-form button[type=submit]").Click();
        browser.WaitForText(".net-closures", "Fermeture enregistrée");
        Assert.Contains("Inventaire", browser.Find("table.month td[data-day='2026-03-11']").Text);
        Assert.Empty(await SlotsAsync(app, quarter, "2026-03-11"));
        browser.Screenshot("network-closure");

        browser.Type("#net-new-username", "nadia");
        browser.Type("#net-new-name", "Nadia Benali");
        Choose(browser, browser.Find("#net-new-home"), Library.Quarter);
        browser.Type("#net-new-password", "un-mot-de-passe-solide");
        browser.Find(".net-new-staff button[type=submit]").Click();
        browser.WaitForText(".net-staff", "nadia");
        browser.Screenshot("network-staff");

        browser.Find("#sign-out").Click();
        browser.WaitFor("#staff-username");
        SignIn(browser, "nadia", "un-mot-de-passe-solide");
        Assert.Contains("Nadia Benali", browser.WaitForText("#greeting", "Nadia"));
        browser.WaitForText(".home-body", "Aujourd’hui");
        browser.Screenshot("home-counter");
        browser.Find("#sign-out").Click();

        browser.WaitFor("#staff-username");
        SignIn(browser, "director", DemoAccounts.Password);
        browser.WaitForText("#greeting", "Jean Moreau");
        browser.WaitForText(".home-body", "Cette semaine"); // the director's home: this week's figures
        browser.Screenshot("home-director");
        browser.Open("/staff/#/chiffres");
        browser.WaitFor("dl.figures-summary");
        browser.Screenshot("figures");
        browser.WaitUntil(() => browser.FindAll("img.chart").Count == 4
            && browser.FindAll("img.chart").All(img => Convert.ToInt64(browser.Script("return arguments[0].naturalWidth;", img)) > 0),
            "the four charts load");
        Assert.Equal(6, browser.FindAll("a.csv-link").Count(a => a.GetAttribute("href")!.Contains("format=csv")));
        browser.Screenshot("figures-charts");
        Assert.Empty(browser.ScriptErrors());
    }

    [Fact]
    public async Task A_director_creates_a_bibliobus_stop_with_weekly_visits_and_a_patron_books_it()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        using var browser = new Browser(site);

        browser.Open("/staff/#/reseau");
        browser.WaitUntil(() => browser.FindAll("#staff-username").Count == 1, "the sign-in form");
        SignIn(browser, "director", DemoAccounts.Password);
        var form = browser.WaitFor(".net-stop-form");
        var routeField = form.FindElement(By.CssSelector("input[id^=net-stop-name-]")).GetAttribute("id")!;
        browser.Type("#" + routeField, "Lux – église");
        form.FindElement(By.CssSelector("input[id^=net-stop-address-]")).SendKeys("Place de l'église, Lux");
        var visit = form.FindElements(By.CssSelector("tbody tr"))[0];
        Choose(browser, visit.FindElement(By.CssSelector("select")), "mercredi");
        browser.Script("var t = arguments[0].querySelectorAll('input[type=time]'); t[0].value = '10:00'; t[1].value = '11:00';", visit);
        form.FindElement(By.CssSelector("button[type=submit]")).Click();
        browser.WaitForText(".net-bus", "Arrêt créé");
        var stops = browser.FindAll(".net-bus ol.stops > li").Select(li => li.Text).ToList();
        Assert.StartsWith("Lux – église", stops[^1]); // last in route order
        browser.Screenshot("network-bibliobus");

        var stop = await Library.PickupPointIdAsync(app, "Bibliobus – Lux – église");
        var slots = await SlotsAsync(app, stop, "2026-03-11");
        Assert.Equal(["10:00", "10:30"], slots.Select(s => s.GetProperty("start").GetDateTimeOffset().ToOffset(TimeSpan.FromHours(1)).ToString("HH:mm")));
        var (title, _) = await Library.TitleAsync(app, "CENTRALE");
        var hold = await Arrange.HoldAsync(app, "P0001", title, stop);
        var booked = await Arrange.BookAsync(app, "P0001", stop, Arrange.Paris(11, 10), Arrange.Id(hold));
        Assert.Equal("booked", Arrange.Status(booked));
        Assert.Equal(1, (await SlotsAsync(app, stop, "2026-03-11"))[0].GetProperty("booked").GetInt32());
        Assert.Empty(browser.ScriptErrors());
    }

    /// <summary>Opens the collapsed editor (details) around this element by its summary, as a keyboard user would.</summary>
    static void OpenEditor(Browser browser, IWebElement inside) =>
        ((IWebElement)browser.Script("return arguments[0].closest('details').querySelector('summary');", inside)!).Click();

    /// <summary>An element that is in the page but may be hidden in a closed editor.</summary>
    static IWebElement Present(Browser browser, string css)
    {
        browser.WaitUntil(() => browser.FindAll(css).Count == 1, css);
        return browser.Find(css);
    }

    static IWebElement SubmitOf(Browser browser, IWebElement inside) =>
        (IWebElement)browser.Script("return arguments[0].closest('form').querySelector('button[type=submit]');", inside)!;

    [Fact]
    public async Task A_director_sets_closing_days_a_stop_exception_the_loan_rules_and_a_password_then_imports_a_catalogue()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        var central = (await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/branches"))!
            .Single(b => b.GetProperty("counters").EnumerateArray().Any(c => c.GetProperty("pickupPointId").GetInt64() == adults)).GetProperty("id").GetInt64();
        var busStop = await Library.PickupPointIdAsync(app, "Bibliobus – Saint-Rémy – mairie");
        var stopId = (await app.CreateClient().GetFromJsonAsync<JsonElement>($"/api/pickup-points/{busStop}")).GetProperty("stopId").GetInt64();
        Assert.NotEmpty(await SlotsAsync(app, adults, "2026-03-11"));
        Assert.NotEmpty(await SlotsAsync(app, busStop, "2026-03-13"));
        using var browser = new Browser(site);
        browser.Open("/staff/#/reseau");
        SignIn(browser, "director", DemoAccounts.Password);
        browser.WaitForText("main h1", "Réseau");

        // The central library closes on Wednesdays: its counters lose that day's slots.
        var wednesday = Present(browser, $"#branch-{central}-closed-3");
        OpenEditor(browser, wednesday);
        wednesday.Click();
        SubmitOf(browser, wednesday).Click();
        browser.WaitForText(".net-branches", "mercredi");
        Assert.Empty(await SlotsAsync(app, adults, "2026-03-11"));
        Assert.NotEmpty(await SlotsAsync(app, adults, "2026-03-12"));

        // The bibliobus skips Saint-Rémy on Friday 13 March.
        var date = Present(browser, $"#stop-{stopId}-exc-date");
        OpenEditor(browser, date);
        browser.Script("arguments[0].value = '2026-03-13';", date);
        browser.Type($"#stop-{stopId}-exc-note", "Panne");
        SubmitOf(browser, date).Click();
        browser.WaitForText(".net-bus", "Exception enregistrée");
        Assert.Empty(await SlotsAsync(app, busStop, "2026-03-13"));
        browser.Screenshot("network-stop-exception");

        // Loans of anything not covered by another rule now last five weeks.
        var loanDays = browser.WaitFor(".policies-form tbody tr input[type=number]");
        loanDays.Clear();
        loanDays.SendKeys("35");
        browser.Find(".policies-form button[type=submit]").Click();
        browser.WaitForText(".net-policies", "Règles enregistrées");
        var rules = await (await app.StaffClientAsync("director")).GetFromJsonAsync<JsonElement>("/api/loan-policies");
        Assert.False(rules.GetProperty("defaults").GetBoolean());
        Assert.Equal(35, rules.GetProperty("policies").EnumerateArray()
            .Single(p => p.GetProperty("format").ValueKind == JsonValueKind.Null && p.GetProperty("audience").ValueKind == JsonValueKind.Null)
            .GetProperty("loanDays").GetInt32());
        browser.Screenshot("network-policies");

        // A new password for the counter account, typed in the page (no browser prompt), then used.
        var row = (IWebElement)browser.Script(
            "return [...document.querySelectorAll('.net-staff tbody tr')].find(tr => tr.querySelector('th').textContent === 'counter');")!;
        var password = row.FindElement(By.CssSelector("input[type=password]"));
        OpenEditor(browser, password);
        password.SendKeys("un-nouveau-mot-de-passe");
        SubmitOf(browser, password).Click();
        browser.WaitForText(".net-staff", "Mot de passe changé");

        // A catalogue file through the imports page: the report names its counts in French.
        var file = Path.Combine(Path.GetTempPath(), $"clickcollect-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "recordId,title,authors,language,audience,format,genres,barcode,branchCode,shelfLocation,callNumber\n" +
            "IMP-1,\"Le Horla\",\"Maupassant, Guy de\",fr,adult,book,Nouvelles,IMP0001,CENTRALE,Romans adultes,R MAU\n");
        try
        {
            browser.Open("/staff/#/imports");
            browser.WaitFor("#imp-catalogue-file").SendKeys(file);
            browser.Find("#imp-catalogue-file").FindElement(By.XPath("ancestor::form")).FindElement(By.CssSelector("button[type=submit]")).Click();
            var report = browser.WaitForText(".import-report", "Import terminé");
            Assert.Contains("Titres créés", report);
            browser.Screenshot("imports-report");
        }
        finally
        {
            File.Delete(file);
        }

        browser.Find("#sign-out").Click();
        browser.WaitFor("#staff-username");
        SignIn(browser, "counter", "un-nouveau-mot-de-passe");
        browser.WaitForText(".home-body", "Aujourd’hui");
        Assert.Empty(browser.ScriptErrors());
    }
}
