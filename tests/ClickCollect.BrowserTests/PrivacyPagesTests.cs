using System.Net;
using System.Text.Json;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;

namespace ClickCollect.BrowserTests;

// Issue 16: "Vos données" on Mon compte (the patron downloads their export and asks for erasure), and the
// staff side: the request listed with what blocks it, declined with a reason the patron then reads, another
// confirmed, and the erasure in the directors' access log. One app and one browser for the whole story.
public sealed class PrivacyPagesTests
{
    [Fact]
    public async Task A_patron_downloads_their_data_and_asks_erasure_staff_decline_it_with_a_reason_and_erase_another()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.PatronAsync(app, "T9301", "Zoé", "Marchetti");
        await DemoAccounts.PatronAsync(app, "T9302", "Bastien", "Rouvière");
        var copy = (await Lending.CopiesAsync(app, "CENTRALE"))[0];
        await Lending.ImportAsync(app, $"T9301,{copy},2026-03-02,2026-03-30"); // a loan out: blocks the erasure
        await Library.ReadAsync(await (await Library.PatronAsync(app, "T9302")).PostAsync("/api/patrons/me/erasure-request", null), HttpStatusCode.Accepted);
        var downloads = Directory.CreateTempSubdirectory("clickcollect-downloads-").FullName;
        using var browser = new Browser(site);
        browser.SetClock(app.Clock.GetUtcNow());
        browser.DownloadTo(downloads);

        // The patron: export as a file, then the erasure request, told what stands in its way.
        browser.Open("/#/compte");
        browser.Type("#sign-in-card", "T9301");
        browser.Type("#sign-in-pin", DemoAccounts.Pin + Keys.Enter);
        browser.WaitFor(".account[data-state=ready]");
        Assert.Equal("Vos données", browser.Find("#account-privacy h2").Text);
        browser.Find("#account-privacy button[data-i18n='privacy.download']").Click();
        var file = Path.Combine(downloads, "mes-donnees-T9301.json");
        browser.WaitUntil(() => File.Exists(file) && new FileInfo(file).Length > 0, "the export is downloaded");
        using (var export = JsonDocument.Parse(await File.ReadAllTextAsync(file)))
        {
            Assert.Equal("T9301", export.RootElement.GetProperty("patron").GetProperty("cardNumber").GetString());
            Assert.Single(export.RootElement.GetProperty("tables").GetProperty("loans").EnumerateArray());
        }
        // The same, as a readable page.
        browser.Find("#account-privacy a[href='#/mes-donnees']").Click();
        Assert.Contains("Titre d'essai", browser.WaitForText("#data-loans", "En cours"));
        Assert.Contains("loans : 1 ligne", browser.Find("#data-tables").Text);
        browser.Screenshot("privacy-patron-data");
        browser.Find("main a[href='#/compte']").Click();
        browser.WaitFor("#privacy-erasure-confirm");
        browser.Find("#privacy-erasure-confirm").SendKeys(Keys.Space);
        browser.Find("#account-privacy button[data-i18n='privacy.erasure.ask']").Click();
        var asked = browser.WaitForText("#account-privacy", "Demande d’effacement enregistrée");
        Assert.Contains("1 document(s) encore en prêt", asked);
        browser.Screenshot("privacy-patron-request");

        // A director: both requests, the first blocked by its loan; decline it with a reason, erase the other.
        // They reach the requests from the patrons' page (the navigation row has no room for them).
        browser.Open("/staff/#/lecteurs");
        browser.Type("#staff-username", "director");
        browser.Type("#staff-password", DemoAccounts.Password + Keys.Enter);
        browser.WaitFor(".privacy-links a[href='#/effacements']").Click();
        browser.WaitForText("main", "2 demandes en attente");
        var blocked = browser.Find("article[data-card=T9301]");
        Assert.Contains("encore en prêt", blocked.FindElement(By.CssSelector(".blockers")).Text);
        Assert.False(blocked.FindElement(By.CssSelector(".erase-form button")).Enabled);
        Assert.Contains("Rien ne bloque", browser.Find("article[data-card=T9302]").Text);
        browser.Screenshot("privacy-staff-requests");

        blocked.FindElement(By.CssSelector("textarea")).SendKeys("Rendez d’abord le document emprunté, puis refaites la demande.");
        blocked.FindElement(By.CssSelector(".decline-form button")).Click();
        browser.WaitForText("main [role=status]", "La demande du lecteur T9301 est refusée");
        var ready = browser.Find("article[data-card=T9302]");
        ready.FindElement(By.CssSelector("input[type=checkbox]")).SendKeys(Keys.Space);
        ready.FindElement(By.CssSelector(".erase-form button")).Click();
        browser.WaitForText("main [role=status]", "Le lecteur T9302 est effacé");
        Assert.Empty(browser.FindAll("article.erasure-request"));

        // The access log (directors): the erasure, by whom, naming the patron by internal id only.
        browser.Find("a[href='#/journal-acces']").Click();
        var log = browser.WaitForText("table.access-log", "lecteur effacé");
        Assert.Contains("Jean Moreau", log);
        Assert.DoesNotContain("T9302", log);
        Assert.Contains("/staff/#/effacements", log); // the page the erasure was confirmed from
        browser.Screenshot("privacy-access-log");

        // The patron reads why their request was declined.
        browser.Open("/#/compte");
        browser.Type("#sign-in-card", "T9301");
        browser.Type("#sign-in-pin", DemoAccounts.Pin + Keys.Enter);
        var declined = browser.WaitForText("#account-privacy .declined", "n’a pas été acceptée");
        Assert.Contains("Rendez d’abord le document emprunté", declined);
        browser.Screenshot("privacy-patron-declined");
        Assert.Empty(browser.ScriptErrors());
        Directory.Delete(downloads, recursive: true);
    }
}
