using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;

namespace ClickCollect.BrowserTests;

public sealed class LanguageTests
{
    [Fact]
    public async Task Switching_to_English_translates_the_labels_and_is_remembered()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.PatronAsync(app, "P0001");
        using var browser = new Browser(site, Browser.PhoneWidth);

        browser.Open("/#/connexion");
        Assert.Equal("Numéro de carte", browser.WaitFor("label[for=sign-in-card]").Text);
        Assert.Equal("fr", browser.Find("html").GetAttribute("lang"));

        browser.Find("[data-lang=en]").Click();

        Assert.Equal("Card number", browser.WaitForText("label[for=sign-in-card]", "Card number"));
        Assert.Equal("en", browser.Find("html").GetAttribute("lang"));
        Assert.Equal("true", browser.Find("[data-lang=en]").GetAttribute("aria-pressed"));
        Assert.Equal("Sign in", browser.Find("main h1").Text);
        Assert.Equal("ClickCollect — Libraries", browser.Find(".brand a").Text);
        Assert.Equal(["Catalogue", "My reservations", "Surprise selection", "My account", "Sign in"],
            browser.FindAll(".site-nav li").Where(li => li.Displayed).Select(li => li.Text).ToArray());
        Assert.Equal("free software licensed under", browser.Find("footer span[data-i18n='footer.freeSoftware']").Text);
        Assert.StartsWith("Sign in — ", browser.Driver.Title);

        // A server refusal is translated by its code.
        browser.Type("#sign-in-card", "P0001");
        browser.Type("#sign-in-pin", "0000");
        browser.Find("form.sign-in button[type=submit]").Click();
        Assert.Contains("Incorrect credentials", browser.WaitFor(".form-error.shown").Text);

        // Remembered: a reload, and the staff pages, open in English.
        browser.Open("/#/catalogue");
        Assert.Equal("Title, author or subject", browser.WaitForText("label[for=catalogue-q]", "Title"));
        Assert.Equal("All audiences", browser.Find("#catalogue-audience option[value='']").Text);
        Assert.Equal("en", browser.Find("html").GetAttribute("lang"));
        browser.Open("/staff/");
        Assert.Equal("Staff sign-in", browser.WaitForText("main h1", "Staff"));
        Assert.Equal("Password", browser.Find("label[for=staff-password]").Text);
        browser.Screenshot("staff-sign-in-english");

        browser.Find("[data-lang=fr]").Click();
        Assert.Equal("Connexion du personnel", browser.WaitForText("main h1", "Connexion"));
        Assert.Equal("fr", browser.Find("html").GetAttribute("lang"));
    }
}
