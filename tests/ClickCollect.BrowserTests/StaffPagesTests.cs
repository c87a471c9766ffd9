using System.Net.Http.Json;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;

namespace ClickCollect.BrowserTests;

public sealed class StaffPagesTests
{
    [Theory]
    [InlineData(Browser.PhoneWidth)]
    [InlineData(Browser.DesktopWidth)]
    public async Task A_director_signs_in_and_sees_their_name_and_role(int width)
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var director = await DemoAccounts.StaffAsync(app, "director");
        using var browser = new Browser(site, width);

        browser.Open("/staff/");
        Assert.Equal("Connexion du personnel", browser.WaitFor("main h1").Text);
        Assert.False(browser.Find("#staff-nav").Displayed); // no sections before signing in
        browser.Type("#staff-username", "director");
        browser.Type("#staff-password", DemoAccounts.Password);
        browser.Find("form.sign-in button[type=submit]").Click();

        // The director's home page shows the week's figures (issue 11); the header names the role.
        Assert.Equal($"{director.DisplayName} — Direction", browser.WaitFor("#greeting").Text);
        Assert.Equal("Accueil", browser.WaitFor("main h1").Text);
        var nav = browser.FindAll("#staff-nav li").Select(li => li.Text).ToArray();
        foreach (var section in new[] { "Accueil", "Catalogue", "Comptoir", "Lecteurs", "Confinements", "Réseau", "Chiffres", "Se déconnecter" })
            Assert.Contains(section, nav); // lockdowns, network and figures: directors only
        if (width == Browser.DesktopWidth) browser.Screenshot("staff-home");
        Assert.Empty(browser.ScriptErrors());
    }

    [Fact]
    public async Task A_wrong_password_shows_the_servers_French_error()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.StaffAsync(app, "counter");
        using var browser = new Browser(site);

        browser.Open("/staff/#/lecteurs");
        browser.Type("#staff-username", "counter");
        browser.Type("#staff-password", "not-the-password");
        browser.Find("form.sign-in button[type=submit]").Click();

        Assert.Contains("Identifiants incorrects", browser.WaitFor(".form-error.shown").Text);
        Assert.False(browser.Find("#staff-nav").Displayed);
    }

    [Fact]
    public async Task Counter_staff_find_a_patron_by_name_then_sign_out()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.StaffAsync(app, "counter");
        await DemoAccounts.PatronAsync(app, "T9001", "Aurélien", "Quintard", phone: "+33698765432");
        await DemoAccounts.PatronAsync(app, "T9002", "Bérénice", "Quintard", phone: null);
        using var browser = new Browser(site, Browser.PhoneWidth);

        browser.Open("/staff/#/lecteurs");
        browser.Type("#staff-username", "counter");
        browser.Type("#staff-password", DemoAccounts.Password);
        browser.Find("form.sign-in button[type=submit]").Click();
        Assert.Equal("Lecteurs", browser.WaitForText("main h1", "Lecteurs"));
        Assert.Contains("Accueil et prêt", browser.WaitFor("#greeting").Text);

        browser.Type("#patrons-q", "quintard");
        browser.Find("form.patron-search button[type=submit]").Click();

        Assert.Equal("2 lecteurs trouvés", browser.WaitForText("main .result-status", "trouvés"));
        var rows = browser.FindAll("main table tbody tr").Select(r => r.Text).ToList();
        Assert.Contains(rows, r => r.Contains("T9001") && r.Contains("Quintard Aurélien") && r.Contains("06 98 76 54 32") && r.Contains("Oui"));
        Assert.Contains(rows, r => r.Contains("T9002") && r.Contains("Non"));
        Assert.Contains("q=quintard", (string)browser.Script("return location.hash;")!);
        browser.Screenshot("staff-patron-search");

        browser.Find("#sign-out").Click();
        Assert.Equal("Connexion du personnel", browser.WaitForText("main h1", "Connexion"));
        Assert.Contains("déconnecté", browser.Find("main .notice").Text);
        Assert.False(browser.Find("#staff-nav").Displayed);
    }

    [Fact]
    public async Task Without_an_sms_provider_staff_find_in_the_sms_list_whom_to_phone()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.StaffAsync(app, "counter");
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        var counter = app.ClientAs(new CurrentUser(1, Roles.Counter, "Comptoir", null));
        foreach (var card in new[] { "P0002", "P0001" }) // P0002 agreed to SMS, P0001 did not
        {
            var (title, _) = await Library.TitleAsync(app, "CENTRALE");
            var hold = await Library.ReadAsync(await (await Library.PatronAsync(app, card)).PostAsJsonAsync("/api/holds",
                new { titleId = title, pickupPointId = adults }), System.Net.HttpStatusCode.Created);
            (await counter.PostAsync($"/api/holds/{hold.GetProperty("id").GetInt64()}/ready", null)).EnsureSuccessStatusCode();
        }
        await app.Worker<SmsDispatcher>().RunOnceAsync(default);
        using var browser = new Browser(site);

        browser.Open("/staff/#/sms?status=notConfigured");
        browser.Type("#staff-username", "counter");
        browser.Type("#staff-password", DemoAccounts.Password);
        browser.Find("form.sign-in button[type=submit]").Click();

        Assert.Equal("SMS aux lecteurs", browser.WaitForText("main h1", "SMS"));
        Assert.Equal("1 message", browser.WaitForText("main .result-status", "message"));
        var row = browser.Find("main table tbody tr").Text;
        foreach (var text in new[] { "P0002", "06 12 34 56 02", "Document prêt", "Non envoyé : aucun fournisseur SMS configuré", "vous attend" })
            Assert.Contains(text, row);
        browser.Screenshot("staff-sms-not-configured");

        browser.Script("document.querySelector('#sms-status').value = 'skipped';");
        browser.Type("#sms-card", "p0001");
        browser.Find("form.sms-filters button[type=submit]").Click();
        browser.WaitUntil(() => ((string)browser.Script("return location.hash;")!).Contains("status=skipped"), "the filters go into the address");
        Assert.Contains("pas de consentement aux SMS", browser.WaitForText("main table tbody tr", "consentement"));
        Assert.Equal("1 message", browser.Find("main .result-status").Text);
        Assert.Empty(browser.ScriptErrors());
    }
}
