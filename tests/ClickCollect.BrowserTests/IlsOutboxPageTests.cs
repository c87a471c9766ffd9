using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using Dapper;

namespace ClickCollect.BrowserTests;

/// <summary>Issue 13: staff see what the library system has not taken yet, and what it refused.</summary>
public sealed class IlsOutboxPageTests
{
    [Fact]
    public async Task Staff_see_the_loans_and_returns_waiting_for_the_library_system_and_its_refusals()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var now = app.Clock.GetUtcNow();
        await using (var c = await app.Service<Db>().OpenAsync(default))
        {
            await c.ExecuteAsync("""
                insert into ils_outbox (kind, card_number, barcode, occurred_at, attempts, error, created_at)
                values ('checkout', 'P0001', 'T4242', @Now, 3, 'délai dépassé', @Now)
                """, new { Now = now });
            await c.ExecuteAsync("""
                insert into ils_outbox (kind, card_number, barcode, occurred_at, attempts, error, result, sent_at, created_at)
                values ('checkin', null, 'T4343', @Now, 1, 'Exemplaire inconnu', 'refused', @Now, @Now)
                """, new { Now = now });
        }
        using var browser = new Browser(site);
        browser.Open("/staff/#/sms");
        browser.Type("#staff-username", "counter");
        browser.Type("#staff-password", DemoAccounts.Password);
        browser.Find("form.sign-in button[type=submit]").Click();
        browser.WaitFor("a[href='#/sigb']").Click();

        var table = browser.WaitForText("table.ils-outbox", "T4242");
        Assert.Contains("1 opération en attente", browser.Find("p.lead").Text);
        Assert.Contains("prêt", table);
        Assert.Contains("délai dépassé", table);
        Assert.Contains("Exemplaire inconnu", browser.Find("tr.ils-refused").Text);
        browser.Screenshot("ils-outbox");
        Assert.Empty(browser.ScriptErrors());
    }
}
