using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;

namespace ClickCollect.BrowserTests;

public sealed class PatronPagesTests
{
    [Theory]
    [InlineData(Browser.PhoneWidth)]
    [InlineData(Browser.DesktopWidth)]
    public async Task A_patron_signs_in_with_card_number_and_PIN_and_is_greeted_by_name(int width)
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var patron = await DemoAccounts.PatronAsync(app, "P0001");
        var name = $"{patron.FirstName} {patron.LastName}";
        using var browser = new Browser(site, width);

        browser.Open("/#/connexion");
        Assert.Equal("Se connecter", browser.WaitFor("main h1").Text);
        browser.Type("#sign-in-card", "P0001");
        browser.Type("#sign-in-pin", DemoAccounts.Pin);
        browser.Find("form.sign-in button[type=submit]").Click();

        Assert.Contains($"Bonjour {name}", browser.WaitForText("main .lead", "Bonjour"));
        Assert.Equal($"Bonjour {name}", browser.WaitFor("#greeting").Text);
        Assert.Equal("Mon compte", browser.Find("main h1").Text);
        Assert.Contains("P0001", browser.Find("main .details").Text);
        Assert.True(browser.Find("#nav-sign-out button").Displayed);
        Assert.False(browser.Find("#nav-sign-in").Displayed);
        if (width == Browser.DesktopWidth) browser.Screenshot("patron-signed-in");
        Assert.Empty(browser.ScriptErrors());

        // The session is the cookie: a reload still knows the patron.
        browser.Open("/#/compte");
        Assert.Equal($"Bonjour {name}", browser.WaitFor("#greeting").Text);
    }

    [Fact]
    public async Task A_wrong_PIN_shows_the_servers_French_error_and_nobody_is_signed_in()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.PatronAsync(app, "P0001");
        using var browser = new Browser(site);

        browser.Open("/#/connexion");
        browser.Type("#sign-in-card", "P0001");
        browser.Type("#sign-in-pin", "9999");
        browser.Find("form.sign-in button[type=submit]").Click();

        var error = browser.WaitFor(".form-error.shown");
        Assert.Contains("Identifiants incorrects", error.Text);
        Assert.Equal("assertive", error.GetAttribute("aria-live"));
        Assert.False(browser.Find("#greeting").Displayed);
        Assert.Equal("", browser.Find("#sign-in-pin").GetAttribute("value"));
        browser.Screenshot("patron-wrong-pin");
    }

    [Fact]
    public async Task A_patron_signs_in_with_the_keyboard_alone_starting_from_the_skip_link()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        var patron = await DemoAccounts.PatronAsync(app, "P0001");
        using var browser = new Browser(site);

        browser.Open("/#/connexion");
        browser.WaitFor("#sign-in-card");
        var active = () => browser.Driver.SwitchTo().ActiveElement();
        browser.Find("body").SendKeys(Keys.Tab);
        Assert.Equal("Aller au contenu", active().Text);
        Assert.True(active().Displayed); // the skip link shows when focused

        active().SendKeys(Keys.Enter);
        Assert.Equal("main", active().GetAttribute("id"));
        active().SendKeys(Keys.Tab);
        Assert.Equal("sign-in-card", active().GetAttribute("id"));
        active().SendKeys("P0001" + Keys.Tab);
        Assert.Equal("sign-in-pin", active().GetAttribute("id"));
        active().SendKeys(DemoAccounts.Pin + Keys.Enter);

        Assert.Equal($"Bonjour {patron.FirstName} {patron.LastName}", browser.WaitFor("#greeting").Text);
        Assert.Equal("Mon compte", active().Text); // focus moved to the new view's heading
    }

    [Fact] // #14: a card past its free attempts answers exactly as a wrong PIN, so the page cannot tell that it exists
    public async Task A_card_past_its_free_attempts_refuses_even_the_right_PIN_with_the_wrong_PIN_message()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.PatronAsync(app, "P0001");
        using var browser = new Browser(site);

        browser.Open("/#/connexion");
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            browser.Type("#sign-in-card", "P0001");
            browser.Type("#sign-in-pin", attempt <= 5 ? "0000" : "1234");
            browser.Find("form.sign-in button[type=submit]").Click();
            browser.WaitFor(".form-error.shown");
            browser.WaitFor("form.sign-in button[type=submit]", b => b.Enabled);
        }

        var error = browser.WaitForText(".form-error.shown", "Identifiants incorrects");
        Assert.Contains("trop d'essais", error);
        Assert.DoesNotContain("verrouillé", error);
        browser.Screenshot("patron-sign-in-delayed");
    }

    [Fact]
    public async Task Signing_out_forgets_the_patron_and_offers_to_sign_in_again()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.PatronAsync(app, "P0001");
        using var browser = new Browser(site, Browser.PhoneWidth);

        browser.Open("/#/connexion");
        browser.Type("#sign-in-card", "p0001");
        browser.Type("#sign-in-pin", DemoAccounts.Pin);
        browser.Find("form.sign-in button[type=submit]").Click();
        browser.WaitFor("#greeting");
        browser.Find("#nav-sign-out button").Click();

        Assert.Contains("déconnecté", browser.WaitFor("main .notice").Text);
        Assert.False(browser.Find("#greeting").Displayed);
        browser.Open("/#/compte");
        Assert.Equal("Connectez-vous pour voir votre compte.", browser.WaitFor("main .intro").Text);
        browser.Screenshot("patron-signed-out");
    }
}
