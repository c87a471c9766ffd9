using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Net.Http.Json;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using Xunit.Abstractions;
using static ClickCollect.BrowserTests.Support.Arrange;

namespace ClickCollect.BrowserTests;

/// <summary>
/// #19 item 2 (RGAA 7.3, 10.7, 12.8, 12.9): each role does its main task with the keyboard alone — Tab,
/// Shift+Tab, Enter, Space and the arrows, nothing clicked — in the page's order: a patron searches, reserves
/// and books a slot; counter staff hand a bag over from the board; a librarian works a surprise selection; the
/// director declares a lockdown and ends it. At every Tab the focused element shows a ring (an outline or a
/// box-shadow, computed), and each page lets the focus go on to its footer (no trap). The phone desk's
/// journey is PhoneDeskPagesTests. One app, one browser: the roles sign in one after the other.
/// </summary>
public sealed class KeyboardJourneyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_role_does_its_main_task_with_the_keyboard_alone_with_the_focus_always_visible()
    {
        var watch = Stopwatch.StartNew();
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.PatronAsync(app, "T9501", "Anouk", "Perrin");
        foreach (var role in new[] { "counter", "librarian", "director" }) await DemoAccounts.StaffAsync(app, role);
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        await Library.BookAsync(app, "Le Chiendent", "Queneau, Raymond", "R QUE", "Romans adultes", "CENTRALE");
        // At the counter: P0001 arrived for their bag (ready), at 11:00 on Tuesday 10 March.
        var (bagTitle, _) = await Library.BookAsync(app, "Exercices de style", "Queneau, Raymond", "R QUE", "Romans adultes", "CENTRALE");
        var bag = Id(await HoldAsync(app, "P0001", bagTitle, adults));
        await ReadyAsync(app, bag);
        var appointment = Id(await Arrange.BookAsync(app, "P0001", adults, Paris(10, 11), bag));
        var patron = await Library.PatronAsync(app, "P0001");
        app.Clock.SetUtcNow(Paris(10, 10, 50).ToUniversalTime());
        await Library.ReadAsync(await patron.PostAsync($"/api/appointments/{appointment}/arrival", null), System.Net.HttpStatusCode.OK);
        // For the librarian: a surprise selection asked by P0002.
        var asker = await Library.PatronAsync(app, "P0002");
        var selection = Id(await Library.ReadAsync(await asker.PostAsJsonAsync("/api/selection-requests", new
        {
            pickupPointId = adults, count = 2, audience = "adult", formats = new[] { "book" }, languages = new[] { "fr" },
            genres = Array.Empty<string>(), likedAuthors = new[] { "Raymond Queneau" }, avoid = Array.Empty<string>(), notes = "", useHistory = false,
        }), System.Net.HttpStatusCode.Created));
        using var browser = new Browser(site);
        browser.SetClock(app.Clock.GetUtcNow());
        var keys = new Keyboard(browser);
        var times = new List<string>();
        void Lap(string role) => times.Add($"{role} {watch.Elapsed.TotalSeconds:0.0} s");
        Lap("arranged");

        // Patron: sign in, search, reserve, book a slot.
        browser.Open("/#/connexion");
        keys.TabTo("#sign-in-card").SendKeys("T9501");
        keys.Press(Keys.Tab);
        keys.Active().SendKeys(DemoAccounts.Pin + Keys.Enter);
        browser.WaitFor("#greeting");
        browser.Open("/#/catalogue");
        browser.WaitFor(".catalogue[data-state=results]");
        keys.TabTo("#catalogue-q").SendKeys("chiendent" + Keys.Enter);
        browser.WaitForText(".catalogue[data-state=results] .results", "Le Chiendent");
        keys.TabTo(".results a", "the title's link").SendKeys(Keys.Enter);
        // The title page loaded first: a Tab pressed while it loads lands before the page gives its heading the focus, and
        // the focus was then read on the heading still saying "Chargement du titre…" (seen once in make test).
        browser.WaitFor("button[aria-controls=reserve-form]");
        keys.TabTo("button[aria-controls=reserve-form]", "Réserver").SendKeys(Keys.Enter);
        browser.WaitFor("#reserve-form:not([hidden]) input[type=radio]");
        var point = keys.TabTo("#reserve-form input[type=radio]", "the first pickup point");
        point.SendKeys(Keys.Space);
        Assert.Contains("Adultes", browser.Find($"label[for='{point.GetAttribute("id")}']").Text);
        keys.TabTo("#reserve-form button[type=submit]").SendKeys(Keys.Enter);
        browser.WaitForText(".outcome", "C’est réservé !");
        keys.TabTo("a.button.primary[href^='#/creneau']", "Choisir un créneau").SendKeys(Keys.Enter);
        browser.WaitFor(".days [role=tab]");
        keys.TabTo(".days [role=tab][aria-selected=true]", "the day tabs").SendKeys(Keys.ArrowRight); // → Wednesday
        browser.WaitForText(".slot-list > legend", "mercredi");
        keys.TabTo(".slot-list input[type=radio]", "the day's slots").SendKeys(Keys.Space);
        browser.WaitForText(".slot-choice", "Créneau choisi");
        keys.TabTo(".slot-submit button[type=submit]").SendKeys(Keys.Enter);
        Assert.Contains("Rendez-vous réservé le mercredi 11 mars 2026", browser.WaitForText("main .notices .notice", "Rendez-vous réservé"));
        keys.NoTrap("Mes réservations");
        SignOut(browser);
        Lap("patron");

        // Counter staff: the board, the arrived patron's bag handed over, the receipt closed with Escape.
        browser.Open($"/staff/#/comptoir?point={adults}&date=2026-03-10");
        SignInStaff(browser, keys, "counter");
        browser.WaitFor(".appointment.state-arrived");
        keys.TabTo(".appointment.state-arrived button.primary", "Remettre le sac").SendKeys(Keys.Enter);
        browser.WaitFor("dialog.receipt[open]");
        keys.TabTo("dialog.receipt button", "the receipt's buttons");
        keys.Press(Keys.Escape);
        browser.WaitUntil(() => browser.FindAll("dialog.receipt[open]").Count == 0, "Escape closes the receipt");
        Assert.Contains("remis", browser.WaitForText(".appointment .state", "remis"));
        keys.NoTrap("Comptoir");
        SignOut(browser);
        Lap("counter");

        // Librarian: the queue, the request, a proposal, confirmed.
        browser.Open("/staff/#/selections");
        SignInStaff(browser, keys, "librarian");
        browser.WaitFor(".selections[data-state=results]");
        keys.TabTo($"a[href='#/selection?id={selection}']", "the request in the queue").SendKeys(Keys.Enter);
        keys.TabTo("#propose", "Proposer une sélection").SendKeys(Keys.Enter);
        browser.WaitUntil(() => browser.FindAll(".bundle-item").Count > 0, "a bundle proposed");
        keys.TabTo("#confirm", "Confirmer la sélection").SendKeys(Keys.Enter);
        browser.WaitForText(".workbench .notice", "Sélection confirmée");
        keys.NoTrap("Sélection");
        SignOut(browser);
        Lap("librarian");

        // Director: a lockdown declared (previewed, confirmed), then called off the same way.
        browser.Open("/staff/#/confinements");
        SignInStaff(browser, keys, "director");
        browser.WaitFor("form.lockdown-form");
        keys.TabTo("form.lockdown-form button[type=submit]", "Voir les effets").SendKeys(Keys.Enter);
        Assert.Equal("Confirmer le confinement", browser.WaitFor(".lockdown-preview button.confirm").Text);
        keys.Active().SendKeys(Keys.Enter); // the preview gave the focus to its confirm button
        browser.WaitFor(".lockdown-preview .done");
        browser.WaitForText("table.lockdown-history tbody tr .state", "En cours");
        keys.TabTo("table.lockdown-history button.secondary:nth-of-type(2)", "Annuler…").SendKeys(Keys.Enter);
        keys.TabTo(".row-action button.secondary", "Voir les effets").SendKeys(Keys.Enter);
        keys.TabTo(".row-action button.confirm", "Confirmer l’annulation").SendKeys(Keys.Enter);
        browser.WaitForText("table.lockdown-history tbody tr .state", "Annulé");
        keys.NoTrap("Confinements");
        Lap("director");

        output.WriteLine($"{keys.Presses} key presses, focus checked at each Tab; " + string.Join(", ", times));
        Assert.True(keys.Unseen.Count == 0, "focus not visible on: " + string.Join("; ", keys.Unseen.Distinct()));
        Assert.Empty(browser.ScriptErrors());
    }

    static void SignInStaff(Browser browser, Keyboard keys, string role)
    {
        keys.TabTo("#staff-username").SendKeys(role);
        keys.Press(Keys.Tab);
        keys.Active().SendKeys(DemoAccounts.Password + Keys.Enter);
        browser.WaitFor("#greeting");
    }

    // Between two roles: the session cookie goes, as at the end of a shift (signing out is not the task here).
    // The next page is then a fresh document (a change of hash alone would keep the signed-in page).
    static void SignOut(Browser browser)
    {
        ((OpenQA.Selenium.Chromium.ChromiumDriver)browser.Driver).ExecuteCdpCommand("Network.clearBrowserCookies", new());
        browser.Driver.Navigate().GoToUrl("about:blank");
    }

    /// <summary>Keys sent to whatever has the focus, as a person types them; each Tab checks the focus ring.</summary>
    sealed class Keyboard(Browser browser)
    {
        public int Presses { get; private set; }

        /// <summary>Elements that had the focus without a visible ring.</summary>
        public List<string> Unseen { get; } = [];

        public IWebElement Active() => browser.Driver.SwitchTo().ActiveElement();

        public void Press(string key, bool shift = false)
        {
            var actions = new Actions(browser.Driver);
            if (shift) actions.KeyDown(Keys.Shift).SendKeys(key).KeyUp(Keys.Shift);
            else actions.SendKeys(key);
            actions.Perform();
            Presses++;
        }

        /// <summary>Tabs (or Shift+Tabs) until the focus is on <paramref name="css"/>; fails when it never gets there.</summary>
        public IWebElement TabTo(string css, string? what = null, bool back = false, int most = 60)
        {
            var seen = new List<string>();
            for (var i = 0; i < most; i++)
            {
                Press(Keys.Tab, shift: back);
                var focus = Focus(css);
                seen.Add(focus.Name);
                if (!focus.Ringed) Unseen.Add(focus.Name);
                if (focus.Matches) return Active();
            }
            throw new Xunit.Sdk.XunitException($"{what ?? css} never got the focus in {most} presses of Tab: {string.Join(" → ", seen)}");
        }

        /// <summary>No trap: from where the focus is, Tab goes on through the page to the footer's last link.</summary>
        public void NoTrap(string page) => TabTo(".site-footer a:last-of-type", $"{page}: the footer (a trap?)", most: 80);

        (bool Matches, bool Ringed, string Name) Focus(string css)
        {
            var r = (ReadOnlyCollection<object>)browser.Script("""
                const a = document.activeElement;
                const ring = (n) => {
                  if (!n) return false;
                  const s = getComputedStyle(n);
                  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
                };
                // A control drawn by its label (the slots' radio buttons) shows the ring there.
                // Past the last link the focus leaves the page (the document's body): nothing there to ring.
                const ringed = a === document.body || ring(a) || Array.from(a.labels || []).some(ring);
                const name = a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') + ' “' + (a.textContent || a.value || '').trim().slice(0, 40) + '”';
                return [a.matches(arguments[0]), ringed, name];
                """, css)!;
            return ((bool)r[0], (bool)r[1], (string)r[2]);
        }
    }
}
