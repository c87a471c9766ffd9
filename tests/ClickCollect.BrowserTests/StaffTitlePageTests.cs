using System.Net;
using System.Net.Http.Json;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.BrowserTests;

/// <summary>Issue 10 item 3: the staff catalogue opens a title page with its copies and reserves for a patron.</summary>
public sealed class StaffTitlePageTests
{
    [Fact]
    public async Task Staff_open_a_title_from_the_catalogue_see_its_copies_and_queue_and_reserve_it_for_a_caller()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var point = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await BookAsync(app, "Pierre et Jean", "Maupassant, Guy de", "R MAU", "Romans adultes", "CENTRALE");
        await ReadAsync(await (await PatronAsync(app, "P0001")).PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created);
        await PatronAsync(app, "P0002");
        using var browser = new Browser(site);

        browser.Open("/staff/#/catalogue");
        browser.Type("#staff-username", "counter");
        browser.Type("#staff-password", DemoAccounts.Password);
        browser.Find("form.sign-in button[type=submit]").Click();
        browser.Type("#catalogue-q", "pierre et jean" + Keys.Enter);
        browser.WaitFor($"a[href='#/titre/{title}']").Click();

        browser.WaitForText("main h1", "Pierre et Jean");
        var copies = browser.WaitFor("table.copies").Text;
        Assert.Contains("Médiathèque centrale", copies);
        Assert.Contains("R MAU", copies);
        Assert.Contains("réservé", copies); // the only copy went to P0001's hold
        Assert.Contains("Aucune réservation en attente", browser.Find("p.queue").Text);

        browser.Type("#stitle-card", "P0002");
        browser.Find("form.reserve-for button[type=submit]").Click();
        var said = browser.WaitForText("form.reserve-for .notice", "P0002");
        Assert.Contains("Médiathèque centrale – Adultes : 1re dans la file d’attente", said);
        browser.Screenshot("staff-title");
        browser.Find("form.reserve-for .notice a").Click();
        browser.WaitForText("main h1", "P0002");
        Assert.Contains("Pierre et Jean", browser.WaitForText("#record-holds", "Pierre et Jean"));
        Assert.Empty(browser.ScriptErrors());
    }
}
