using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;

namespace ClickCollect.BrowserTests;

/// <summary>Issue 5: the director's lockdown switch, its effects spelled out before confirming, and the patrons' banner.</summary>
public sealed class LockdownPagesTests
{
    [Fact]
    public async Task The_director_previews_then_confirms_a_lockdown_patrons_see_the_banner_and_ending_it_removes_it()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.StaffAsync(app, "director");
        var barcodes = await Lending.CopiesAsync(app, "CENTRALE");
        await Lending.ImportAsync(app, $"P0001,{barcodes[0]},2026-02-20,2026-03-20"); // due during the lockdown
        using var browser = new Browser(site);

        browser.Open("/staff/#/confinements");
        browser.Type("#staff-username", "director");
        browser.Type("#staff-password", DemoAccounts.Password);
        browser.Find("form.sign-in button[type=submit]").Click();
        Assert.Equal("Confinements", browser.WaitForText("main h1", "Confinements"));
        Assert.True(browser.Find("#nav-lockdowns").Displayed);

        // The server's today is Tuesday 10 March 2026 (the browser's clock is the real one): start the day before.
        browser.Script("document.getElementById('lockdown-starts').value = '2026-03-09';");
        browser.Find("#effect-cap").Click();
        browser.Type("#effect-cap-value", "2");
        browser.Find("form.lockdown-form button[type=submit]").Click();

        var preview = browser.WaitForText(".lockdown-preview .effects-summary", "prêt");
        Assert.Contains("1 prêt verra sa date de retour reportée après la fin du confinement", preview);
        var policies = browser.Find(".lockdown-preview .policy-list").Text;
        Assert.Contains("Amendes suspendues", policies);
        Assert.Contains("Jauge : 2 personnes par créneau", policies);
        Assert.Equal("2026-03-20", Lending.DueOn((await Lending.LoansAsync(app, "P0001"))[0])); // a preview writes nothing
        browser.Screenshot("lockdown-preview");

        browser.Find(".lockdown-preview button.confirm").Click();
        Assert.Equal("Confinement enregistré.", browser.WaitFor(".lockdown-preview .done").Text);
        Assert.Equal("En cours", browser.WaitForText("table.lockdown-history tbody tr .state", "En cours"));
        Assert.Contains("Confinement déclaré", browser.WaitForText("table.lockdown-audit", "Confinement déclaré"));
        Assert.Equal("", Lending.DueOn((await Lending.LoansAsync(app, "P0001"))[0])); // held until the lockdown ends
        Assert.Empty(browser.ScriptErrors());

        browser.Open("/#/catalogue");
        var banner = browser.WaitForText("#lockdown-banner", "Confinement en cours");
        Assert.Contains("Depuis le lundi 9 mars 2026.", banner);
        Assert.Contains("Aucune amende de retard", banner);
        Assert.Contains("2 personnes au plus par créneau", banner);
        browser.Screenshot("lockdown-banner");

        // Ending it the day it began: previewed, confirmed, and the banner goes.
        browser.Open("/staff/#/confinements");
        browser.WaitFor("table.lockdown-history tbody tr button.secondary").Click();
        browser.Script("document.querySelector('.row-action input[type=date]').value = '2026-03-09';");
        browser.Find(".row-action button.secondary").Click();
        Assert.Contains("1 prêt retrouvera une date de retour plus proche", browser.WaitForText(".row-action .effects-summary", "prêt"));
        browser.Find(".row-action button.confirm").Click();
        Assert.Equal("Terminé", browser.WaitForText("table.lockdown-history tbody tr .state", "Terminé"));
        Assert.Equal("2026-03-20", Lending.DueOn((await Lending.LoansAsync(app, "P0001"))[0]));

        browser.Open("/#/catalogue");
        browser.WaitFor("main h1");
        browser.WaitUntil(() => !browser.Find("#lockdown-banner").Displayed, "the banner to stay hidden");
        Assert.Empty(browser.ScriptErrors());
    }
}
