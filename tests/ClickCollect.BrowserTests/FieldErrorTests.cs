using System.Collections.ObjectModel;
using System.Diagnostics;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;
using Xunit.Abstractions;

namespace ClickCollect.BrowserTests;

/// <summary>
/// #19 item 2, RGAA 11.10 / WCAG 3.3.1: on every kind of form a refusal is tied to the field it is about —
/// the field gets aria-invalid and is described by its message, shown just above it — and is read out at
/// once (the form's live region holds the whole refusal). One browser and one app: a refusal per form,
/// reached by a hash change where possible, and axe run on each refused state.
/// </summary>
public sealed class FieldErrorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_refusal_on_any_form_is_tied_to_its_field_and_read_out()
    {
        var watch = Stopwatch.StartNew();
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.PatronAsync(app, "T9301", "Lou", "Garnier");
        await DemoAccounts.StaffAsync(app, "director");
        var (title, _) = await Library.BookAsync(app, "Le Horla", "Maupassant, Guy de", "R MAU", "Romans adultes", "CENTRALE");
        // A bag ready to collect, not booked yet: the slot page and the phone desk's booking form have something to book.
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        var (bagTitle, _) = await Library.BookAsync(app, "Bel-Ami", "Maupassant, Guy de", "R MAU", "Romans adultes", "CENTRALE");
        var bag = Arrange.Id(await Arrange.HoldAsync(app, "T9301", bagTitle, adults));
        await Arrange.ReadyAsync(app, bag);
        using var browser = new Browser(site);
        browser.SetClock(app.Clock.GetUtcNow());
        var axe = new Axe(browser);
        output.WriteLine($"arranged and browser started: {watch.Elapsed.TotalSeconds:0.0} s");
        var failures = new List<string>();
        var checkedForms = new List<string>();

        // The field is invalid, described by a visible message just above it, focused when `focused`; a live
        // region reads the refusal out; axe finds nothing wrong with the refused form.
        void Refused(string form, string field, string message, bool focused = true)
        {
            browser.WaitUntil(() => browser.FindAll(field).Any(f => f.GetAttribute("aria-invalid") == "true"), $"{form}: {field} marked invalid");
            var seen = (ReadOnlyCollection<object>)browser.Script("""
                const f = document.querySelector(arguments[0]);
                const described = (f.getAttribute('aria-describedby') || '').split(' ').map((id) => document.getElementById(id))
                  .filter((n) => n && n.classList.contains('field-error'))[0];
                const live = Array.from(document.querySelectorAll('[aria-live], [role=alert], [role=status]'))
                  .filter((r) => r.getClientRects().length).map((r) => r.textContent.replace(/\s+/g, ' ')).join(' | ');
                return [described ? described.textContent.trim() : '', !!described && described.getClientRects().length > 0,
                  document.activeElement === f, live];
                """, field)!;
            var (text, shown, hasFocus, live) = ((string)seen[0], (bool)seen[1], (bool)seen[2], (string)seen[3]);
            if (!text.Contains(message, StringComparison.Ordinal)) failures.Add($"{form}: {field} is described by “{text}”, not “{message}”");
            if (!shown) failures.Add($"{form}: the message of {field} is not shown");
            if (focused && !hasFocus) failures.Add($"{form}: {field} does not have the focus");
            if (!live.Contains(message, StringComparison.Ordinal)) failures.Add($"{form}: no live region reads “{message}” (regions: {live})");
            failures.AddRange(axe.Violations().Select(v => $"{form}: {v}"));
            checkedForms.Add($"{form} ({watch.Elapsed.TotalSeconds:0.0} s)");
        }

        void Submit(string form) => browser.Find(form + " button[type=submit]").Click();

        // Patron pages.
        browser.Open("/#/connexion");
        browser.Type("#sign-in-card", "T9301");
        browser.Type("#sign-in-pin", "0000");
        Submit("form.sign-in");
        Refused("patron sign-in", "#sign-in-pin", "Identifiants incorrects");
        Assert.Equal("true", browser.Find("#sign-in-card").GetAttribute("aria-invalid")); // which one is wrong is not said (#14)
        browser.Type("#sign-in-card", "T9301");
        browser.Type("#sign-in-pin", DemoAccounts.Pin + Keys.Enter);
        browser.WaitFor("#greeting");
        Assert.Empty(browser.FindAll("[aria-invalid]")); // a new try clears the marks

        browser.Open($"/#/titre/{title}");
        browser.WaitFor(".title-page button.primary[aria-controls=reserve-form]").Click();
        Submit("#reserve-form");
        Refused("reserve, no pickup point", "#reserve-form input[type=radio]", "Choisissez un point de retrait.");

        browser.Open("/#/compte");
        browser.Type("#account-phone", "12");
        Submit("form.contact-form");
        Refused("Mon compte, contact", "#account-phone", "Numéro de téléphone non reconnu");
        browser.WaitFor("#privacy-erasure-confirm").FindElement(By.XPath("ancestor::form")).FindElement(By.CssSelector("button[type=submit]")).Click();
        Refused("Mon compte, erasure request", "#privacy-erasure-confirm", "Cochez la case pour confirmer");

        browser.Open($"/#/creneau?point={adults}&holds={bag}");
        browser.WaitUntil(() => browser.FindAll(".slot-page[data-state=shown] .day-slots input[type=radio]").Count > 0, "the day's slots drawn"); // drawn by their labels
        Submit("form.slot-form");
        Refused("booking, no slot chosen", ".day-slots input[type=radio]:not(:disabled)", "Choisissez un créneau.");

        // The browser's own checks (min, max, required…) are said the same way, not in its bubble (tieNativeValidation).
        browser.Open("/#/selection");
        browser.Type("#sel-count", "40");
        Submit("form.selection-form");
        Refused("surprise selection, the browser's check", "#sel-count", "Au plus 10.");
        Assert.Contains("Le formulaire n’est pas envoyé", browser.Find("form.selection-form .form-error").Text);
        browser.Find("#nav-sign-out button").Click();

        // Staff pages, as the director (who reaches every form).
        browser.Open("/staff/#/accueil");
        browser.Type("#staff-username", "director");
        browser.Type("#staff-password", DemoAccounts.Password + Keys.Enter);
        browser.WaitFor("#greeting");

        browser.Open($"/staff/#/titre/{title}");
        browser.Type("#stitle-card", "Z9999");
        Submit("form.reserve-for");
        Refused("staff reserve for a patron", "#stitle-card", "La carte Z9999 n'existe pas.");

        browser.Open("/staff/#/lecteur/T9301");
        browser.WaitFor("#record-phone").Clear();
        browser.Find("#record-sms").Click();
        if (!browser.Find("#record-sms").Selected) browser.Find("#record-sms").Click();
        Submit("#record-contact form");
        Refused("patron record, contact", "#record-sms", "Le consentement SMS demande un numéro de téléphone.");

        // The phone desk: finding the caller (the browser's check), a selection asked for an unknown card, a slot booked
        // for the caller without a document.
        browser.Open("/staff/#/lecteurs");
        Submit("form.patron-search");
        Refused("phone desk, find the caller", "#patrons-q", "Ce champ est obligatoire.");
        browser.Screenshot("field-error-patron-search");

        browser.Open("/staff/#/demande-selection");
        browser.Type("#sel-card", "Z9999");
        Submit("form.selection-form");
        Refused("phone desk, selection for an unknown card", "#sel-card", "Z9999");

        browser.Open("/staff/#/lecteur/T9301");
        browser.WaitFor($"#book-hold-{bag}").Click(); // unticked: nothing to collect
        Submit("form.book-form");
        Refused("phone desk, book a slot", $"#book-hold-{bag}", "Choisissez au moins une réservation à retirer.");

        browser.Open("/staff/#/chiffres");
        browser.WaitFor("#fig-to");
        browser.Script("document.getElementById('fig-from').value = '2026-03-10'; document.getElementById('fig-to').value = '2026-03-01';");
        Submit("form.figures-form");
        Refused("figures, period", "#fig-to", "La date de fin précède la date de début.");

        browser.Open("/staff/#/confinements");
        browser.WaitFor("#lockdown-ends");
        browser.Script("document.getElementById('lockdown-starts').value = '2026-03-20'; document.getElementById('lockdown-ends').value = '2026-03-10';");
        Submit("form.lockdown-form");
        Refused("lockdown, declare", "#lockdown-ends", "La fin ne peut pas précéder le début");

        browser.Open("/staff/#/reseau");
        browser.Type("#net-branch-code", "petite");
        browser.Type("#net-branch-name", "Bibliothèque refusée");
        browser.Find("#net-branch-code").FindElement(By.XPath("ancestor::form")).FindElement(By.CssSelector("button[type=submit]")).Click();
        Refused("network, new branch", "#net-branch-code", "Majuscules sans accent");
        var loanDays = browser.WaitFor(".policies-form tbody tr input[type=number]");
        loanDays.Clear();
        loanDays.SendKeys("0");
        Submit("form.policies-form");
        Refused("loan rules, the browser's check", ".policies-form tbody tr input[type=number]", "Au moins 1.");
        browser.Screenshot("field-error-loan-rules");
        // Two fields at once: a name left empty, a password too short; the summary counts them, the first has the focus.
        browser.Type("#net-new-username", "accueil2");
        browser.Type("#net-new-password", "court");
        Submit("form.net-new-staff");
        Refused("network, new staff account", "#net-new-name", "Ce champ est obligatoire.");
        Assert.Equal("true", browser.Find("#net-new-password").GetAttribute("aria-invalid"));
        Assert.Contains("Au moins 10 caractères.", browser.Find("#net-new-password-error").Text);
        Assert.Contains("2 champs sont à corriger", browser.Find("form.net-new-staff .field-summary").Text);

        browser.Open("/staff/#/imports");
        Submit("form.import-form");
        Refused("imports, no file", "form.import-form input[type=file]", "Choisissez un fichier.");
        browser.Open($"/staff/#/comptoir?point={adults}&date=2026-03-10");
        browser.Type("#counter-scan", "NOPE-404" + Keys.Enter);
        Refused("counter, scan", "#counter-scan", "NOPE-404");
        browser.Type("#counter-return", "NOPE-405" + Keys.Enter);
        Refused("counter, return", "#counter-return", "NOPE-405");

        browser.Open("/staff/#/sms?patronCardNumber=Z9999");
        Refused("SMS, filter", "#sms-card", "La carte Z9999 n'existe pas.");

        browser.Open("/staff/#/journal-acces?carte=Z9999");
        Refused("access log, filter", "#access-card", "Z9999");

        output.WriteLine($"{checkedForms.Count} refused forms checked in {watch.Elapsed.TotalSeconds:0} s: {string.Join("; ", checkedForms)}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(browser.ScriptErrors());
    }
}
