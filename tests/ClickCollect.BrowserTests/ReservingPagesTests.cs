using System.Net.Http.Json;
using System.Text.Json;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;
using static ClickCollect.BrowserTests.Support.Arrange;

namespace ClickCollect.BrowserTests;

// Issue #3 item 6: reserving from the catalogue, choosing a slot on the calendar, "Mes réservations".
// The app's clock is Tuesday 10 March 2026, 09:00 in Paris; the page's clock is set to the same.
// The adult counter of the central library opens Tuesday to Saturday, 10–12 and 14–18, in quarter
// hours of 4 patrons, bookable from 2 hours ahead: the first slot is today at 11:00.
public sealed class ReservingPagesTests
{
    const string Title = "Notre-Dame de Paris"; // demo catalogue: one copy, on the shelf at the central library

    [Fact]
    public async Task A_patron_finds_a_title_reserves_it_at_a_counter_books_a_slot_and_cancelling_frees_the_place()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        using var browser = new Browser(site);
        browser.SetClock(app.Clock.GetUtcNow());
        SignIn(browser, "P0001");

        // Catalogue → title page: where it is.
        browser.Open("/#/catalogue");
        browser.Type("#catalogue-q", Title);
        browser.Find("form.search-form button[type=submit]").Click();
        browser.WaitForText("main .result-status", "1 titre trouvé");
        browser.Find("main .title-card .title-name a").Click();
        Assert.Equal(Title, browser.WaitForText("main h1", Title));
        Assert.Equal("Hugo, Victor", browser.Find(".title-page .authors").Text);
        Assert.Equal("Médiathèque centrale : 1 exemplaire en rayon sur 1", browser.Find(".availability-list li").Text);
        Assert.StartsWith(Title + " — ", browser.Driver.Title);
        var titlePage = (string)browser.Script("return location.hash;")!;

        // Réserver: the pickup points, grouped by branch, counters first then bibliobus stops.
        browser.Find(".reserve button.primary").Click();
        Assert.Equal("Où voulez-vous le retirer ?", browser.WaitFor(".pickup-choice > legend").Text);
        Assert.Equal(["Médiathèque centrale", "Médiathèque des Prés-Saint-Jean"],
            browser.FindAll(".branch-group > legend").Select(l => l.Text).ToArray());
        var central = browser.FindAll(".branch-group")[0];
        Assert.Equal(["Adultes", "Jeunesse", "Bibliobus – Les Aubépins – école", "Bibliobus – Place de Bourgogne", "Bibliobus – Saint-Rémy – mairie"],
            central.FindElements(By.CssSelector(".choice-name")).Select(n => n.Text).ToArray());
        Assert.Equal("Arrêt du bibliobus", central.FindElements(By.CssSelector(".choice-kind"))[2].Text);
        Assert.StartsWith("Un exemplaire est en rayon", central.FindElement(By.CssSelector(".hint")).Text);
        browser.Find($"label[for=point-{adults}]").Click();
        browser.Screenshot("reserve-title");
        browser.Find("#reserve-form button[type=submit]").Click();

        // Placed: a copy is on the shelf here, so it is to be picked, and a slot is offered now or later.
        var outcome = browser.WaitFor(".outcome, #reserve-form .form-error");
        Assert.True(outcome.GetAttribute("class")!.Contains("outcome"), outcome.Text + string.Join("\n", browser.ScriptErrors()));
        Assert.Contains("C’est réservé !", outcome.Text);
        Assert.Contains("À retirer : Médiathèque centrale – Adultes. En préparation", outcome.Text);
        Assert.Equal(["Choisir un créneau", "Plus tard"], outcome.FindElements(By.CssSelector("a.button")).Select(a => a.Text).ToArray());
        browser.Screenshot("reserve-done");
        outcome.FindElement(By.CssSelector("a.button.primary")).Click();

        // The calendar: today first, 11:00 the first slot, 4 places in each.
        Assert.Equal("Retrait : Médiathèque centrale – Adultes", browser.WaitForText("main .lead", "Retrait"));
        var today = browser.WaitFor(".days [role=tab][aria-selected=true]");
        Assert.Equal("mar.\n10 mars\n80 places", today.Text);
        Assert.Equal("Créneaux du mardi 10 mars 2026", browser.Find(".slot-list > legend").Text);
        Assert.Equal(["Matin", "Après-midi"], browser.FindAll(".slot-period h3").Select(h => h.Text).ToArray());
        Assert.Equal("11:00 – 11:15\n4 places", SlotTile(browser, "11:00").Text);
        Assert.True(browser.Find($"#hold-{HoldIdOnPage(browser)}").Selected);
        browser.Screenshot("slot-calendar");
        SlotTile(browser, "11:00").Click();
        Assert.Equal("Créneau choisi : mardi 10 mars 2026 à 11:00.", browser.WaitForText(".slot-choice", "Créneau choisi").Trim());
        browser.Find(".slot-form button[type=submit]").Click();

        // Booked: "Mes réservations" shows the appointment, in French, in Paris time.
        Assert.Equal("Rendez-vous réservé le mardi 10 mars 2026 à 11:00 — Médiathèque centrale – Adultes.",
            browser.WaitForText("main .notices .notice", "Rendez-vous réservé"));
        Assert.Equal("Mes réservations", browser.Find("main h1").Text);
        var appointment = browser.WaitFor(".card.appointment");
        Assert.Equal("mardi 10 mars 2026, 11:00 – 11:15", appointment.FindElement(By.CssSelector(".when")).Text, ignoreCase: true);
        Assert.Equal("Retrait : Médiathèque centrale – Adultes", appointment.FindElement(By.CssSelector(".where")).Text);
        Assert.Equal("Réservé", appointment.FindElement(By.CssSelector(".badge")).Text);
        Assert.Equal(Title, appointment.FindElement(By.CssSelector(".titles li")).Text);
        Assert.Equal("Le jour du rendez-vous, signalez votre arrivée ici à partir de 10:30.", appointment.FindElement(By.CssSelector(".arrival-later")).Text);
        var hold = browser.Find(".card.hold");
        Assert.Equal("En préparation", hold.FindElement(By.CssSelector(".badge")).Text);
        Assert.Equal("Rendez-vous le mardi 10 mars 2026 à 11:00", hold.FindElement(By.CssSelector(".hold-slot")).Text);
        Assert.Equal("page", browser.Find("a[data-route=reservations]").GetAttribute("aria-current"));
        browser.Screenshot("reservations-booked");

        // The calendar now has one place fewer at 11:00.
        browser.Open($"/#/creneau?point={adults}");
        Assert.Equal("11:00 – 11:15\n3 places", WaitForSlot(browser, "11:00", "3 places"));
        Assert.StartsWith("Vous n’avez pas de document à retirer ici", browser.Find(".slot-holds .notice").Text);

        // Cancel the appointment, confirming first: the place is free again.
        browser.Open("/#/reservations");
        browser.WaitFor(".card.appointment .actions button").Click();
        Assert.Equal("Annuler ce rendez-vous ? Vos documents restent réservés : vous pourrez choisir un autre créneau.",
            browser.WaitFor(".card.appointment .confirm-question").Text);
        browser.Screenshot("appointment-cancel-confirm");
        browser.Find(".card.appointment .confirm-buttons button.danger").Click();
        Assert.Equal("Rendez-vous du mardi 10 mars 2026 à 11:00 annulé : la place est libérée.",
            browser.WaitForText("main .notices .notice", "annulé"));
        Assert.Equal("Aucun rendez-vous à venir.", browser.WaitFor(".appointments p.muted").Text);
        browser.Find(".card.hold a.button").Click();
        Assert.Equal("11:00 – 11:15\n4 places", WaitForSlot(browser, "11:00", "4 places"));

        // Back on the title page, it says the title is reserved already instead of offering it again.
        browser.Open("/" + titlePage);
        var already = browser.WaitFor(".reserve .already");
        Assert.Equal("Ce titre est déjà dans vos réservations.\nÀ retirer : Médiathèque centrale – Adultes. En préparation\nChoisir un créneau Voir mes réservations",
            already.Text);
        Assert.Empty(browser.FindAll(".reserve button.primary"));
        Assert.Empty(browser.ScriptErrors());
    }

    [Fact]
    public async Task A_slot_is_booked_with_the_keyboard_alone()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        var (title, _) = await Library.TitleAsync(app, "CENTRALE");
        var hold = await HoldAsync(app, "P0002", title, adults);
        using var browser = new Browser(site);
        browser.SetClock(app.Clock.GetUtcNow());
        SignIn(browser, "P0002");
        browser.Open("/#/reservations");
        browser.Driver.Navigate().Refresh(); // a fresh page: the keyboard starts from the top
        browser.WaitFor(".card.hold");
        var active = () => browser.Driver.SwitchTo().ActiveElement();

        // Skip link → main → the hold's "Choisir un créneau".
        browser.Find("body").SendKeys(Keys.Tab);
        active().SendKeys(Keys.Enter);
        active().SendKeys(Keys.Tab);
        Assert.Equal("Choisir un créneau", active().Text);
        active().SendKeys(Keys.Enter);

        // The calendar's heading has the focus; Tab: the hold (ticked), then the day tabs.
        browser.WaitFor(".days [role=tab]");
        Assert.Equal("Choisir un créneau", active().Text);
        active().SendKeys(Keys.Tab);
        Assert.Equal($"hold-{Id(hold)}", active().GetAttribute("id"));
        Assert.True(active().Selected);
        active().SendKeys(Keys.Tab);
        Assert.Equal("day-2026-03-10", active().GetAttribute("id"));

        // → Wednesday; Tab into its slots; → 10:15; Space chooses it; Tab to the button; Enter books.
        active().SendKeys(Keys.ArrowRight);
        Assert.Equal("day-2026-03-11", active().GetAttribute("id"));
        Assert.Equal("true", active().GetAttribute("aria-selected"));
        Assert.Equal("Créneaux du mercredi 11 mars 2026", browser.WaitForText(".slot-list > legend", "mercredi"));
        active().SendKeys(Keys.Tab);
        Assert.Equal("radio", active().GetAttribute("type"));
        active().SendKeys(Keys.ArrowRight);
        active().SendKeys(Keys.Space);
        Assert.Equal("Créneau choisi : mercredi 11 mars 2026 à 10:15.", browser.WaitForText(".slot-choice", "10:15").Trim());
        browser.Screenshot("slot-keyboard");
        active().SendKeys(Keys.Tab);
        Assert.Equal("Réserver ce créneau", active().Text);
        active().SendKeys(Keys.Enter);

        Assert.Equal("Rendez-vous réservé le mercredi 11 mars 2026 à 10:15 — Médiathèque centrale – Adultes.",
            browser.WaitForText("main .notices .notice", "Rendez-vous réservé"));
        Assert.Equal("Mes réservations", active().Text); // the new view's heading has the focus
        Assert.Equal("mercredi 11 mars 2026, 10:15 – 10:30", browser.WaitFor(".card.appointment .when").Text, ignoreCase: true);
    }

    [Fact]
    public async Task A_full_slot_cannot_be_chosen_and_a_slot_taken_meanwhile_is_refused_in_French_and_shown_full()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        await FillAsync(app, adults, Paris(10, 11), "P0010", "P0011", "P0012", "P0013");
        await FillAsync(app, adults, Paris(10, 11, 15), "P0014", "P0015", "P0016");
        var (title, _) = await Library.TitleAsync(app, "CENTRALE");
        var hold = await HoldAsync(app, "P0003", title, adults);
        using var browser = new Browser(site, Browser.PhoneWidth);
        browser.SetClock(app.Clock.GetUtcNow());
        SignIn(browser, "P0003");

        browser.Open($"/#/creneau?point={adults}&holds={Id(hold)}");
        Assert.Equal("11:00 – 11:15\nComplet", WaitForSlot(browser, "11:00", "Complet"));
        Assert.False(SlotTile(browser, "11:00").FindElement(By.CssSelector("input")).Enabled);
        Assert.Equal("11:15 – 11:30\n1 place", SlotTile(browser, "11:15").Text);
        SlotTile(browser, "11:15").Click();

        // Someone else takes the last place while the patron hesitates.
        await FillAsync(app, adults, Paris(10, 11, 15), "P0017");
        browser.Find(".slot-form button[type=submit]").Click();

        var error = browser.WaitForText(".slot-form .form-error", "Créneau complet");
        Assert.Equal("Créneau complet\nPlus de place dans ce créneau : choisissez-en un autre.", error);
        Assert.Equal("11:15 – 11:30\nComplet", WaitForSlot(browser, "11:15", "Complet"));
        Assert.False(SlotTile(browser, "11:15").FindElement(By.CssSelector("input")).Selected);
        Assert.Equal("", browser.Find(".slot-choice").Text);
        browser.Screenshot("slot-refused");
        Assert.Empty(browser.ScriptErrors());
    }

    [Fact]
    public async Task The_reservations_page_reads_in_English_with_each_holds_state()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        var (booked, _) = await Library.TitleAsync(app, "CENTRALE");
        var (scarce, _) = await Library.TitleAsync(app, "CENTRALE");
        var (elsewhere, _) = await Library.TitleAsync(app, "PRES");
        var (ready, _) = await Library.TitleAsync(app, "CENTRALE");
        var toPick = await HoldAsync(app, "P0004", booked, adults);
        await BookAsync(app, "P0004", adults, Paris(10, 11), Id(toPick));
        await HoldAsync(app, "P0005", scarce, adults); // gets the only copy
        await HoldAsync(app, "P0006", scarce, adults); // first in the queue
        await HoldAsync(app, "P0004", scarce, adults); // second
        await HoldAsync(app, "P0004", elsewhere, adults); // the copy comes from the other branch
        await ReadyAsync(app, Id(await HoldAsync(app, "P0004", ready, adults)));
        using var browser = new Browser(site, Browser.PhoneWidth);
        browser.SetClock(app.Clock.GetUtcNow());
        SignIn(browser, "P0004");

        browser.Open("/#/reservations");
        browser.WaitFor(".card.hold");
        browser.Find("[data-lang=en]").Click();

        Assert.Equal("My reservations", browser.WaitForText("main h1", "My reservations"));
        Assert.Equal("My reservations", browser.Find("a[data-route=reservations]").Text);
        Assert.Equal(["My appointments", "Reserved items"], browser.FindAll("main h2").Select(h => h.Text).ToArray());
        var appointment = browser.Find(".card.appointment");
        Assert.Equal("Tuesday, 10 March 2026, 11:00 – 11:15", appointment.FindElement(By.CssSelector(".when")).Text);
        Assert.Equal("Pickup: Médiathèque centrale – Adultes", appointment.FindElement(By.CssSelector(".where")).Text);
        Assert.Equal("Booked", appointment.FindElement(By.CssSelector(".badge")).Text);
        Assert.Equal("On the day, tell us you have arrived here from 10:30.", appointment.FindElement(By.CssSelector(".arrival-later")).Text);
        Assert.Equal("Cancel the appointment", appointment.FindElement(By.CssSelector(".actions button")).Text);

        var states = browser.FindAll(".card.hold").ToDictionary(
            c => c.FindElement(By.CssSelector(".hold-title")).Text, c => c.FindElement(By.CssSelector(".badge")).Text);
        Assert.Equal(4, states.Count);
        Assert.Contains("Being prepared", states.Values);
        Assert.Contains("Waiting (2nd in the queue)", states.Values);
        Assert.Contains("In transit", states.Values);
        Assert.Contains("Ready — collect by Tuesday 17 March", states.Values);
        Assert.Equal("Appointment on Tuesday, 10 March 2026 at 11:00", browser.Find(".card.hold .hold-slot").Text);
        Assert.Equal(2, browser.FindAll(".card.hold a.button").Count(a => a.Text == "Choose a slot")); // in transit and ready: not queued, not booked
        Assert.All(browser.FindAll(".card.hold .actions button"), b => Assert.Equal("Cancel the reservation", b.Text));
        browser.Screenshot("reservations-english");

        // The calendar speaks English too, with the same Paris times.
        browser.FindAll(".card.hold a.button")[0].Click();
        Assert.Equal("Choose a slot", browser.WaitForText("main h1", "Choose"));
        Assert.Equal("Tue\n10 Mar\n79 places", browser.WaitFor(".days [role=tab][aria-selected=true]").Text);
        Assert.Equal("Slots on Tuesday, 10 March 2026", browser.Find(".slot-list > legend").Text);
        Assert.Equal(["Morning", "Afternoon"], browser.FindAll(".slot-period h3").Select(h => h.Text).ToArray());
        Assert.Equal("11:00 – 11:15\n3 places", SlotTile(browser, "11:00").Text); // P0004's own appointment holds one
        Assert.Equal("Book this slot", browser.Find(".slot-form button[type=submit]").Text);
        browser.Screenshot("slot-calendar-english");
        browser.Open("/#/reservations");
        browser.WaitFor(".card.hold");

        browser.Find("[data-lang=fr]").Click();
        Assert.Equal("Mes réservations", browser.WaitForText("main h1", "Mes"));
        var french = browser.FindAll(".card.hold .badge").Select(b => b.Text).ToArray();
        Assert.Contains("En attente (2e dans la file)", french);
        Assert.Contains("En transit", french);
        Assert.Contains("Prête — à retirer au plus tard le mardi 17 mars", french);
        Assert.Empty(browser.ScriptErrors());
    }

    [Fact]
    public async Task I_am_here_opens_30_minutes_before_the_slot_and_says_the_staff_know()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        var (title, _) = await Library.TitleAsync(app, "CENTRALE");
        await BookAsync(app, "P0007", adults, Paris(10, 11), Id(await HoldAsync(app, "P0007", title, adults)));
        using var browser = new Browser(site, Browser.PhoneWidth);
        browser.SetClock(app.Clock.GetUtcNow());
        SignIn(browser, "P0007");

        browser.Open("/#/reservations");
        Assert.Contains("à partir de 10:30", browser.WaitFor(".card.appointment .arrival-later").Text);
        Assert.Empty(browser.FindAll(".card.appointment button.arrive"));

        // 10:31 in Paris, for the app and for the phone.
        app.Clock.SetUtcNow(Paris(10, 10, 31));
        browser.SetClock(Paris(10, 10, 31));
        browser.Driver.Navigate().Refresh();
        var arrive = browser.WaitFor(".card.appointment button.arrive");
        Assert.Equal("Je suis arrivé·e", arrive.Text);
        Assert.Equal("Sur place ? Prévenez l’équipe : on vous apporte vos documents.", browser.Find(".card.appointment .arrival .hint").Text);
        browser.Screenshot("arrival-open");
        arrive.Click();

        Assert.Equal("C’est noté : l’équipe sait que vous êtes arrivé·e (Médiathèque centrale – Adultes). On vous apporte vos documents.",
            browser.WaitForText("main .notices .notice", "C’est noté"));
        var card = browser.WaitFor(".card.appointment[data-status=arrived]");
        Assert.Equal("Arrivée signalée", card.FindElement(By.CssSelector(".badge")).Text);
        Assert.Equal("Arrivée signalée à 10:31. Restez près de l’entrée : on vous apporte vos documents.", card.FindElement(By.CssSelector(".arrived")).Text);
        Assert.Empty(card.FindElements(By.CssSelector("button")));
        browser.Screenshot("arrival-done");
        Assert.Empty(browser.ScriptErrors());
    }

    [Fact]
    public async Task Cancelling_a_hold_asks_first_and_keeps_it_when_the_patron_says_no()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        var (title, _) = await Library.TitleAsync(app, "CENTRALE");
        var hold = await HoldAsync(app, "P0008", title, adults);
        var name = hold.GetProperty("title").GetString()!;
        using var browser = new Browser(site);
        SignIn(browser, "P0008");

        browser.Open("/#/reservations");
        var cancel = browser.WaitFor(".card.hold .actions button.secondary");
        Assert.Equal("Annuler la réservation", cancel.Text);
        cancel.Click();
        Assert.Equal("Annuler cette réservation ? Le document sera proposé à la personne suivante.",
            browser.WaitFor(".card.hold .confirm-question").Text);
        Assert.Equal("confirm-question", browser.Driver.SwitchTo().ActiveElement().GetAttribute("class"));
        browser.Find(".card.hold .confirm-buttons button.secondary").Click(); // "Non, garder"
        Assert.Equal("Annuler la réservation", browser.WaitFor(".card.hold .actions button.secondary").Text);
        Assert.Equal("Annuler la réservation", browser.Driver.SwitchTo().ActiveElement().Text);

        browser.Find(".card.hold .actions button.secondary").Click();
        browser.WaitFor(".card.hold .confirm-buttons button.danger").Click();
        Assert.Equal($"Réservation annulée : {name}.", browser.WaitForText("main .notices .notice", "annulée"));
        Assert.Equal("Aucune réservation en cours. Chercher dans le catalogue", browser.WaitFor(".holds p.muted").Text);
        browser.Find(".history summary").Click();
        Assert.Equal($"{name} — Annulée", browser.WaitFor(".history li").Text);
        Assert.Equal("cancelled", Status(await (await Library.PatronAsync(app, "P0008")).GetFromJsonAsync<JsonElement>($"/api/holds/{Id(hold)}")));
    }

    [Fact]
    public async Task A_visitor_sees_where_a_title_is_and_signing_in_to_reserve_comes_back_to_it()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.PatronAsync(app, "P0009");
        using var browser = new Browser(site, Browser.PhoneWidth);

        browser.Open("/#/catalogue?q=" + Uri.EscapeDataString(Title));
        browser.WaitFor("main .title-card .title-name a").Click();
        Assert.Equal(Title, browser.WaitForText("main h1", Title));
        Assert.Equal("Connectez-vous avec votre carte de bibliothèque pour réserver ce document.", browser.Find(".reserve p").Text);
        browser.Screenshot("title-signed-out");
        browser.Find(".reserve a.button").Click();

        browser.Type("#sign-in-card", "P0009");
        browser.Type("#sign-in-pin", DemoAccounts.Pin);
        browser.Find("form.sign-in button[type=submit]").Click();
        Assert.Equal(Title, browser.WaitForText("main h1", Title));
        Assert.Equal("Réserver", browser.WaitFor(".reserve button.primary").Text);
        Assert.Equal("Retour aux résultats", browser.Find(".title-page .back a").Text);
        Assert.Empty(browser.ScriptErrors());
    }

    static void SignIn(Browser browser, string cardNumber)
    {
        browser.Open("/#/connexion");
        browser.Type("#sign-in-card", cardNumber);
        browser.Type("#sign-in-pin", DemoAccounts.Pin);
        browser.Find("form.sign-in button[type=submit]").Click();
        browser.WaitFor("#greeting");
    }

    /// <summary>The slot tile of the shown day starting at <paramref name="time"/> ("11:00").</summary>
    static IWebElement SlotTile(Browser browser, string time) =>
        browser.WaitFor(".day-slots .slot", s => s.FindElement(By.CssSelector(".slot-time")).Text.StartsWith(time, StringComparison.Ordinal),
            $"waiting for the {time} slot");

    static string WaitForSlot(Browser browser, string time, string places)
    {
        browser.WaitUntil(() => SlotTile(browser, time).Text.EndsWith(places, StringComparison.Ordinal), $"the {time} slot says {places}");
        return SlotTile(browser, time).Text;
    }

    static string HoldIdOnPage(Browser browser) =>
        browser.WaitFor(".hold-choice input[type=checkbox]").GetAttribute("value")!;
}
