using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;

namespace ClickCollect.BrowserTests;

// #10: a whole phone call at the desk, keyboard only — find the caller by a spaced phone number, reserve two
// titles, book a slot, move it, take a fine payment.
public sealed class PhoneDeskPagesTests
{
    [Fact]
    public async Task A_librarian_handles_a_whole_phone_call_with_the_keyboard_alone()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.StaffAsync(app, "counter");
        await DemoAccounts.PatronAsync(app, "T9101", "Bérénice", "Quintard", phone: "+33698765431");
        await Library.BookAsync(app, "Le Passe-muraille du téléphone", "Aymé, Marcel", "R AYM", "Romans adultes", "CENTRALE");
        await Library.BookAsync(app, "La Vouivre du téléphone", "Aymé, Marcel", "R AYM", "Romans adultes", "CENTRALE");
        await Lending.SimplePolicyAsync(app, centsPerDay: 10);
        var barcodes = await Lending.CopiesAsync(app, "CENTRALE");
        await Lending.ImportAsync(app, $"T9101,{barcodes[0]},2026-01-10,2026-02-07"); // 31 days late on 10 March: 3,10 €
        using var browser = new Browser(site);
        browser.SetClock(app.Clock.GetUtcNow());

        browser.Open("/staff/#/lecteurs");
        browser.Type("#staff-username", "counter");
        browser.Type("#staff-password", DemoAccounts.Password + Keys.Enter);
        browser.WaitForText("main h1", "Lecteurs");
        browser.Type("#patrons-q", "06 98 76 54 31" + Keys.Enter);
        browser.WaitForText("main .result-status", "1 lecteur trouvé");
        Press(browser.Find("main table tbody a"), Keys.Enter);
        try { browser.WaitForText("main h1", "Quintard"); }
        catch (Exception) { Assert.Fail((string)browser.Script("return location.hash + ' ' + document.activeElement.outerHTML;")! + " | " + string.Join(";", browser.ScriptErrors())); }

        foreach (var title in new[] { "Passe-muraille du téléphone", "Vouivre du téléphone" })
        {
            browser.Find("#reserve-q").Clear();
            browser.Type("#reserve-q", title + Keys.Enter);
            Press(browser.WaitFor("#record-reserve .reserve-list button"), Keys.Enter);
            browser.WaitForText(".record-status .notice", title + " » est réservé");
        }
        Assert.Equal(2, browser.FindAll("#record-book input[type=checkbox]:checked").Count);

        browser.WaitFor("#book-slot option[value]:not([value=''])");
        Press(browser.Find("#record-book button[type=submit]"), Keys.Enter);
        browser.WaitForText(".record-status .notice", "Rendez-vous pris");
        Assert.Contains("2 documents", browser.Find("#record-appointments .appointment").Text);

        var day = browser.WaitFor("#record-appointments select[id$='-day'] option[value]:not([value=''])");
        Press(browser.Find("#record-appointments select[id$='-day']"), Keys.ArrowDown);
        Press(browser.Find("#record-appointments .move-form button"), Keys.Enter);
        browser.WaitForText(".record-status .notice", "Rendez-vous déplacé");

        Assert.Contains("3,10 €", browser.Find("#record-fines .fine-balance").Text);
        browser.Type("#fine-amount", "3,10" + Keys.Enter);
        browser.WaitForText(".record-status .notice", "Paiement de 3,10 € enregistré");
        Assert.Contains("Reste dû : 0,00 €", browser.Find("#record-fines .fine-balance").Text);
        browser.Screenshot("staff-patron-record");
        Assert.Empty(browser.ScriptErrors());
    }

    static void Press(IWebElement element, string keys) => element.SendKeys(keys);
}
