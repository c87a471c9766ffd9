using System.Net;
using System.Net.Http.Json;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;

namespace ClickCollect.BrowserTests;

// #10 item 6: "Mon compte" — the patron sees their loans with due dates, their fines line by line and the
// librarian's note of a confirmed surprise selection (without a mobile number, so no SMS carried it), and
// sets their own phone number and SMS consent with the keyboard.
public sealed class AccountPagesTests
{
    [Fact]
    public async Task A_patron_without_a_mobile_sees_loans_fines_and_the_librarians_note_then_gives_a_mobile_and_accepts_SMS()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.PatronAsync(app, "T9201", "Noémie", "Vasseur", phone: null);
        await Lending.SimplePolicyAsync(app, centsPerDay: 10);
        var late = await Lending.CopiesAsync(app, "CENTRALE");
        var onTime = await Lending.CopiesAsync(app, "CENTRALE");
        // 10 March 2026 in the test clock: the first is 31 days late (3,10 €), the second due on 24 March.
        await Lending.ImportAsync(app, $"T9201,{late[0]},2026-01-10,2026-02-07", $"T9201,{onTime[0]},2026-02-24,2026-03-24");
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        var patronApi = await Library.PatronAsync(app, "T9201");
        var request = (await Library.ReadAsync(await patronApi.PostAsJsonAsync("/api/selection-requests", new
        {
            pickupPointId = adults, count = 2, audience = "adult", formats = new[] { "book" }, genres = new[] { "polars" }, useHistory = false,
        }), HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var librarian = await app.StaffClientAsync("librarian");
        var proposal = await Library.ReadAsync(await librarian.PostAsync($"/api/selection-requests/{request}/proposal", null), HttpStatusCode.OK);
        var copies = proposal.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("copyId").GetInt64()).ToArray();
        await Library.ReadAsync(await librarian.PostAsJsonAsync($"/api/selection-requests/{request}/confirm",
            new { copyIds = copies, note = "Commencez par le plus court, Noémie !" }), HttpStatusCode.OK);
        using var browser = new Browser(site);
        browser.SetClock(app.Clock.GetUtcNow());

        browser.Open("/#/compte");
        browser.Type("#sign-in-card", "T9201");
        browser.Type("#sign-in-pin", DemoAccounts.Pin + Keys.Enter);
        browser.WaitFor(".account[data-state=ready]");
        Assert.Equal("Mon compte", browser.Find("main h1").Text);

        var loans = browser.Find("#account-loans").Text;
        Assert.Contains("2 documents empruntés", loans);
        Assert.Contains("samedi 7 février 2026", loans);
        Assert.Contains("31 jours de retard (3,10 €)", loans);
        Assert.Contains("mardi 24 mars 2026", loans);
        Assert.Contains("Reste à payer : 3,10 €", browser.Find("#account-fines .fine-balance").Text);
        Assert.Contains("31 jours de retard, 3,10 €", browser.Find("#account-fines .fine-lines").Text);
        Assert.Equal("Commencez par le plus court, Noémie !", browser.Find("#account-notes .librarian-note").Text);
        Assert.Contains("Sélection surprise confirmée le", browser.Find("#account-notes").Text);
        Assert.False(browser.Find("#account-sms").Selected);
        browser.Screenshot("patron-account");

        // SMS without a mobile number: the server's reason, next to the form.
        browser.Find("#account-sms").SendKeys(Keys.Space);
        browser.Find("#account-phone").SendKeys("01 44 55 66 77" + Keys.Enter);
        browser.WaitForText("#account-contact .form-error", "portable");

        var phone = browser.Find("#account-phone");
        phone.Clear();
        phone.SendKeys("06 12 34 56 07" + Keys.Enter);
        browser.WaitForText(".account-status .notice", "Vous recevrez les avis par SMS");
        Assert.Equal("06 12 34 56 07", browser.Find("#account-phone").GetAttribute("value"));
        var saved = (await app.Service<PatronStore>().FindByCardAsync("T9201", default))!;
        Assert.Equal("+33612345607", saved.Phone);
        Assert.True(saved.SmsConsent);

        // The same page in English.
        browser.Find("[data-lang=en]").Click();
        browser.WaitForText("#account-loans h2", "My current loans");
        Assert.Contains("7 February 2026", browser.Find("#account-loans").Text);
        Assert.Contains("31 days overdue (€3.10)", browser.Find("#account-loans").Text);
        browser.Screenshot("patron-account-en");
        Assert.Empty(browser.ScriptErrors());
    }
}
