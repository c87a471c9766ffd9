using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;
using Xunit.Abstractions;
using static ClickCollect.BrowserTests.Support.Arrange;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.BrowserTests;

/// <summary>
/// #19 item 1: axe-core over every patron and staff page, in the states a person meets (signed out, signed
/// in, empty list, errors shown, dialogs open), at 1280 px and 390 px, in French and English. Any violation
/// of a rule tagged wcag2a, wcag2aa, wcag21a, wcag21aa or RGAAv4 fails the test, named with its page, state,
/// width and language. One browser and one app for the whole tour (CI time is tight): the width changes
/// with the viewport and the language with the page's own switch, neither reloads the page.
/// </summary>
public sealed class AccessibilityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_page_and_state_passes_axe_core_at_both_widths_in_both_languages()
    {
        var watch = Stopwatch.StartNew();
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var world = await World.ArrangeAsync(app);
        using var browser = new Browser(site, Browser.DesktopWidth);
        browser.SetClock(app.Clock.GetUtcNow());
        var axe = new Axe(browser);
        var failures = new List<string>();
        var checkedStates = new List<string>();
        var routes = new HashSet<string>();
        var titles = new Dictionary<string, string>(); // window title → the h1 it was seen with
        var tablesSeen = 0L;

        void Check(string state, string? ready = null)
        {
            WaitReady(browser, state, ready);
            checkedStates.Add(state);
            routes.Add((string)browser.Script("return location.pathname + (location.hash.match(/^#\\/[\\w-]*/) || [''])[0];")!);
            foreach (var language in new[] { Language(browser), Language(browser) == "fr" ? "en" : "fr" })
            {
                if (Language(browser) != language)
                {
                    browser.Script("document.querySelector('[data-lang=' + arguments[0] + ']').click();", language);
                    browser.WaitUntil(() => Language(browser) == language, $"{state}: the page switches to {language}");
                }
                foreach (var width in new[] { Browser.DesktopWidth, Browser.PhoneWidth })
                {
                    browser.Resize(width);
                    failures.AddRange(axe.Violations().Concat(BoxesOverWords(browser)).Select(v => $"{state} [{width} px, {language}]: {v}"));
                }
                // RGAA 10.11: reflow at 320 px without scrolling sideways (a data table scrolls in its own box).
                browser.Resize(320);
                var sideways = (long)browser.Script("return document.documentElement.scrollWidth - window.innerWidth;")!;
                if (sideways > 1) failures.Add($"{state} [320 px, {language}]: reflow: the page is {sideways} px wider than the screen");
                // RGAA 8.5, 8.6, 9.1: one h1, and a window title of its own.
                var page = (System.Collections.ObjectModel.ReadOnlyCollection<object>)browser.Script(
                    "const h = Array.from(document.querySelectorAll('h1')).filter((n) => n.getClientRects().length); return [h.length, h.length ? h[0].textContent.trim() : '', document.title];")!;
                if ((long)page[0] != 1) failures.Add($"{state} [{language}]: {page[0]} h1 on the page");
                // RGAA 5.4: every table has a title, or says it is only layout.
                var (tables, untitled) = TablesWithoutTitle(browser);
                tablesSeen += tables;
                if (untitled.Count > 0) failures.Add($"{state} [{language}]: data table(s) without a caption: {string.Join(", ", untitled)}");
                var (heading, title) = ((string)page[1], (string)page[2]);
                if (title.Length == 0) failures.Add($"{state} [{language}]: no window title");
                else if (titles.TryGetValue(title, out var other) && other != heading)
                    failures.Add($"{state} [{language}]: window title “{title}” also names the page headed “{other}”");
                else titles[title] = heading;
            }
            browser.Resize(Browser.DesktopWidth);
        }

        void Visit(string path, string state, string? ready = null)
        {
            browser.Open(path);
            Check(state, ready);
        }

        // Signed out: the patron pages.
        Visit("/#/connexion", "patron sign-in");

        // The check itself sees a fault: an image without a text alternative, a field without a label.
        browser.Script("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/favicon.svg\" class=\"planted\"><input class=\"planted\">');");
        var planted = axe.Violations();
        Assert.Contains(planted, v => v.StartsWith("image-alt (", StringComparison.Ordinal));
        Assert.Contains(planted, v => v.StartsWith("label (", StringComparison.Ordinal));
        Assert.Equal(2, planted.Count);
        browser.Script("document.querySelectorAll('.planted').forEach((n) => n.remove());");
        // … and a data table without a caption, which axe does not flag.
        browser.Script("document.querySelector('main').insertAdjacentHTML('beforeend', '<table class=\"planted\"><tr><th>Cote</th></tr><tr><td>R HUG</td></tr></table>');");
        Assert.Single(TablesWithoutTitle(browser).Untitled);
        browser.Script("document.querySelector('table.planted').setAttribute('role', 'presentation');");
        Assert.Empty(TablesWithoutTitle(browser).Untitled);
        browser.Script("document.querySelectorAll('.planted').forEach((n) => n.remove());");
        SubmitSignIn(browser, "#sign-in-card", "P0001", "#sign-in-pin", "0000");
        Check("patron sign-in, wrong PIN shown", ".form-error.shown");
        Visit("/#/catalogue", "catalogue", ".catalogue[data-state=results]");
        Visit("/#/catalogue?q=zzzzqqq", "catalogue, nothing found", ".catalogue[data-state=empty]");
        Visit($"/#/titre/{world.Title}", "title, signed out", ".title-page:not([data-state=loading])");
        Visit("/#/reservations", "reservations, signed out (sign-in asked)");
        Visit("/#/selection", "surprise selection, signed out");
        Visit("/nulle-part", "page not found");
        Visit("/#/accessibilite", "accessibility statement", ".branch-contacts li");
        Assert.Contains("Médiathèque centrale", browser.Find(".branch-contacts").Text);
        browser.Screenshot("accessibility-statement");

        // Signed in, with nothing yet.
        SignInPatron(browser, World.EmptyCard);
        Visit("/#/reservations", "reservations, empty list", ".reservations[data-state=shown]");
        Visit("/#/compte", "account", ".account[data-state=ready]");
        Visit("/#/selection", "surprise selection form", "fieldset.choices input[name=genres]");
        browser.Screenshot("accessibility-selection-form");
        browser.Script("document.getElementById('sel-count').value = '40'; document.querySelector('form.selection-form').noValidate = true;");
        browser.Find("form.selection-form button[type=submit]").Click();
        Check("surprise selection form, error shown", ".selection-form .form-error.shown");
        // RGAA 11.10: the refusal is tied to its field, which takes the focus.
        var count = browser.Find("#sel-count");
        Assert.Equal("true", count.GetAttribute("aria-invalid"));
        Assert.Equal("sel-count", browser.Driver.SwitchTo().ActiveElement().GetAttribute("id"));
        Assert.Equal("Entre 1 et 10 documents.", browser.Find("#" + count.GetAttribute("aria-describedby")!.Split(' ').Last()).Text);
        SignOutPatron(browser);

        // Signed in, with holds and an appointment.
        SignInPatron(browser, World.BusyCard);
        Visit("/#/reservations", "reservations, holds and an appointment", ".reservations[data-state=shown] .card");
        Visit("/#/mes-donnees", "my data, readable export", "main h2");
        Visit($"/#/titre/{world.Free}", "title, signed in", ".title-page:not([data-state=loading])");
        browser.WaitFor(".title-page button.primary[aria-controls=reserve-form]").Click();
        Check("title, reserve form open", "#reserve-form:not([hidden])");
        browser.Find("#reserve-form button[type=submit]").Click();
        Check("title, reserve form, no pickup point chosen", "#reserve-form .form-error strong");
        Visit($"/#/creneau?point={world.Adults}&holds={world.ReadyHold}", "slot calendar", ".slot-page[data-state=shown]");
        SignOutPatron(browser);

        // Staff pages: signed out, then as the director (who sees every section).
        Visit("/staff/", "staff sign-in");
        SubmitSignIn(browser, "#staff-username", "director", "#staff-password", "wrong");
        Check("staff sign-in, wrong password shown", ".form-error.shown");
        browser.Type("#staff-username", "director");
        browser.Type("#staff-password", DemoAccounts.Password + Keys.Enter);
        browser.WaitFor("#greeting");
        Visit("/staff/#/accueil", "staff home (director)", ".home-body:not(:has([data-i18n='app.loading']))");
        Visit("/staff/#/catalogue", "staff catalogue", ".catalogue[data-state=results]");
        Visit($"/staff/#/titre/{world.Title}", "staff title");
        Visit("/staff/#/lecteurs?q=P0001", "patron search", ".patrons[data-state=results]");
        Visit($"/staff/#/lecteur/{World.BusyCard}", "patron record", ".record[data-state=ready]");
        Visit($"/staff/#/comptoir?point={world.Adults}&date=2026-03-10", "counter: pick list and board", ".appointment");
        Visit($"/staff/#/bibliobus?route={world.Route}&date=2026-03-13", "bibliobus load list", ".pick-table");
        Visit("/staff/#/sms", "sms", ".sms:not([data-state=loading])");
        Visit("/staff/#/sigb", "library-system outbox");
        Visit("/staff/#/confinements", "lockdowns");
        Visit("/staff/#/selections", "selection queue", ".selections[data-state=results]");
        Visit($"/staff/#/selection?id={world.Selection}", "selection workbench", "#propose");
        browser.Find("#propose").Click();
        browser.WaitUntil(() => browser.FindAll(".bundle-item").Count > 0, "a bundle proposed");
        Check("selection workbench, proposal", ".workbench:not([data-state=working]) .bundle-item");
        Visit("/staff/#/demande-selection", "phone-desk selection form", "fieldset.choices input[name=genres]");
        browser.Screenshot("accessibility-selection-phone-desk");
        browser.Type("#sel-card", "P9999");
        browser.Find("form.selection-form button[type=submit]").Click();
        Check("phone-desk selection form, unknown card shown", ".selection-form .form-error.shown");
        Visit("/staff/#/reseau", "network");
        Visit("/staff/#/chiffres", "figures");
        Visit("/staff/#/imports", "imports");
        Visit("/staff/#/effacements", "erasure requests");
        Visit("/staff/#/journal-acces", "access log");
        Visit($"/staff/#/comptoir?point={world.Adults}&date=2026-03-10", "counter, before the hand-over", ".appointment.state-arrived button.primary");
        browser.Find(".appointment.state-arrived button.primary").Click();
        Check("counter, loan receipt dialog open", "dialog.receipt[open]");

        // Every section of both navigations was toured: a page added later fails here until it is added above.
        var webRoot = app.Service<Microsoft.AspNetCore.Hosting.IWebHostEnvironment>().WebRootPath;
        foreach (var (path, file) in new[] { ("/", "index.html"), ("/staff/", "staff/index.html") })
        {
            var sections = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(webRoot, file)), "data-route=\"([\\w-]+)\"")
                .Select(m => path + "#/" + m.Groups[1].Value);
            Assert.All(sections, section => Assert.Contains(section, routes));
        }

        var rules = axe.Rules();
        var figures = $"axe-core {axe.Version()}: {checkedStates.Count} page states × 2 widths × 2 languages = {checkedStates.Count * 4} runs, "
            + $"{rules.Count} rules ({string.Join(", ", Axe.Tags)}), captions checked on {tablesSeen} tables (counted per state and language), {failures.Count} violations, {watch.Elapsed.TotalSeconds:0} s";
        output.WriteLine(figures);
        output.WriteLine("states: " + string.Join("; ", checkedStates));
        output.WriteLine("rules: " + string.Join(" ", rules));
        var report = Path.Combine(Artifacts.Folder, "..", "reliability");
        Directory.CreateDirectory(report); // make test prints the first line at its end, with the other figures
        File.WriteAllText(Path.Combine(report, "accessibility.txt"), figures + "\nstates: " + string.Join("; ", checkedStates) + "\nrules: " + string.Join(" ", rules)
            + "\n" + string.Join("\n", failures) + "\n");
        Assert.True(failures.Count == 0, figures + "\n" + string.Join("\n", failures.Take(80)));
        Assert.Empty(browser.ScriptErrors());
    }

    /// <summary>
    /// #19 item 4: a checkbox or radio button drawn over the words of its own label (axe cannot see it). Each
    /// visible box is compared with the boxes of its labels' text lines.
    /// </summary>
    static IEnumerable<string> BoxesOverWords(Browser browser) =>
        ((System.Collections.ObjectModel.ReadOnlyCollection<object>)browser.Script("""
            const found = [];
            document.querySelectorAll('input[type=checkbox], input[type=radio]').forEach((input) => {
              const box = input.getBoundingClientRect();
              const style = getComputedStyle(input);
              if (!box.width || !box.height || style.opacity === '0' || style.visibility === 'hidden') return; // a whole-label target (the slots)
              const name = input.id ? '#' + input.id : input.name;
              Array.from(input.labels || []).forEach((label) => {
                const lines = [];
                const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                  if (!node.textContent.trim()) continue;
                  const range = document.createRange();
                  range.selectNodeContents(node);
                  Array.from(range.getClientRects()).filter((r) => r.width > 0).forEach((r) => lines.push({ r: r, text: node.textContent.trim() }));
                }
                const over = lines.find((l) => box.left < l.r.right - 1 && box.right > l.r.left + 1 && box.top < l.r.bottom - 1 && box.bottom > l.r.top + 1);
                if (over) found.push('box-over-label: ' + name + ' is drawn over “' + over.text + '”');
                // Beside its words: the box shares a line with the label's first line of text.
                const first = lines.sort((a, b) => a.r.top - b.r.top)[0];
                if (first && (box.bottom <= first.r.top + 1 || box.top >= first.r.bottom - 1))
                  found.push('box-apart-from-label: ' + name + ' is not on the line of “' + first.text + '”');
              });
            });
            return found;
            """)!).Select(o => (string)o);

    /// <summary>
    /// RGAA 5.4: the tables in the document, shown or folded away, and those that are neither a data table with a
    /// title (a caption with words, or aria-label / aria-labelledby naming words) nor marked as layout only
    /// (role presentation or none).
    /// </summary>
    static (long Tables, IReadOnlyList<string> Untitled) TablesWithoutTitle(Browser browser)
    {
        var found = (System.Collections.ObjectModel.ReadOnlyCollection<object>)browser.Script("""
            const words = (n) => !!n && n.textContent.trim().length > 0;
            const tables = Array.from(document.querySelectorAll('table'));
            return [tables.length].concat(tables.filter((t) => !/^(presentation|none)$/.test(t.getAttribute('role') || '')
              && !words(t.caption) && !(t.getAttribute('aria-label') || '').trim()
              && !(t.getAttribute('aria-labelledby') || '').split(/\s+/).some((id) => words(document.getElementById(id))))
              .map((t) => 'table' + (t.className ? '.' + t.className : '') + ' under “'
                + (((t.closest('section') || document.body).querySelector('h1, h2') || {}).textContent || '').trim() + '”'));
            """)!;
        return ((long)found[0], found.Skip(1).Select(o => (string)o).ToList());
    }

    static string Language(Browser browser) => (string)browser.Script("return document.documentElement.lang;")!;

    /// <summary>The view has drawn: an h1, nothing loading, and <paramref name="ready"/> shown when given.</summary>
    static void WaitReady(Browser browser, string state, string? ready)
    {
        browser.WaitUntil(() => (bool)browser.Script("""
            const main = document.querySelector('main');
            return !!main && !!main.querySelector('h1') && !main.querySelector("[data-i18n='app.loading'], [data-state=loading], [data-state=working]");
            """)!, $"{state}: the page is drawn");
        if (ready is null) return;
        try
        {
            browser.WaitFor(ready, because: $"{state}: waiting for {ready}");
        }
        catch (WebDriverTimeoutException)
        {
            browser.Screenshot("accessibility-not-ready"); // what the page showed instead
            throw;
        }
    }

    static void SubmitSignIn(Browser browser, string userField, string user, string secretField, string secret)
    {
        browser.Type(userField, user);
        browser.Type(secretField, secret);
        browser.Find("form.sign-in button[type=submit]").Click();
    }

    static void SignInPatron(Browser browser, string card)
    {
        browser.Open("/#/connexion");
        SubmitSignIn(browser, "#sign-in-card", card, "#sign-in-pin", DemoAccounts.Pin);
        browser.WaitFor("#greeting");
    }

    static void SignOutPatron(Browser browser)
    {
        browser.Find("#nav-sign-out button").Click();
        browser.WaitUntil(() => browser.FindAll("#greeting").All(g => !g.Displayed), "signed out");
    }

    /// <summary>What the tour shows, arranged through the API: a patron with a hold ready and an arrived appointment, one with nothing, a selection request.</summary>
    sealed record World(long Adults, long Title, long Free, long ReadyHold, long Route, long Selection)
    {
        public const string BusyCard = "P0001";
        public const string EmptyCard = "T9901";

        public static async Task<World> ArrangeAsync(TestApp app)
        {
            await DemoAccounts.PatronAsync(app, EmptyCard, "Inès", "Moreau");
            await DemoAccounts.StaffAsync(app, "director");
            var adults = await PickupPointIdAsync(app, CentralAdults);
            var (title, _) = await BookAsync(app, "Les Misérables", "Hugo, Victor", "R HUG", "Romans adultes", "CENTRALE", "CENTRALE");
            var (other, _) = await BookAsync(app, "Germinal", "Zola, Émile", "R ZOL", "Romans adultes", "CENTRALE");
            var (free, _) = await BookAsync(app, "Madame Bovary", "Flaubert, Gustave", "R FLA", "Romans adultes", "CENTRALE", "PRES");
            var hold = Id(await HoldAsync(app, BusyCard, title, adults));
            await ReadyAsync(app, hold);
            var booked = Id(await HoldAsync(app, BusyCard, other, adults));
            await ReadyAsync(app, booked); // the bag can be handed over: the receipt dialog opens
            var appointment = await Arrange.BookAsync(app, BusyCard, adults, Paris(10, 11), booked);
            var patron = await PatronAsync(app, BusyCard);
            app.Clock.SetUtcNow(Paris(10, 10, 50).ToUniversalTime());
            await ReadAsync(await patron.PostAsync($"/api/appointments/{Id(appointment)}/arrival", null), System.Net.HttpStatusCode.OK);
            var selection = Id(await ReadAsync(await patron.PostAsJsonAsync("/api/selection-requests", new
            {
                pickupPointId = adults, count = 3, audience = "adult", formats = new[] { "book" }, languages = new[] { "fr" },
                genres = new[] { "Policier" }, likedAuthors = new[] { "Fred Vargas" }, avoid = Array.Empty<string>(), notes = "", useHistory = false,
            }), System.Net.HttpStatusCode.Created));
            var buses = await app.CreateClient().GetFromJsonAsync<JsonElement[]>("/api/bibliobuses");
            var route = buses![0].GetProperty("routes")[0];
            var (bus, _) = await BookAsync(app, "Le Petit Prince", "Saint-Exupéry, Antoine de", "J SAI", "Jeunesse", "CENTRALE");
            await HoldAsync(app, "P0002", bus, route.GetProperty("stops")[0].GetProperty("pickupPointId").GetInt64());
            return new World(adults, title, free, hold, route.GetProperty("id").GetInt64(), selection);
        }
    }
}
