using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using OpenQA.Selenium;

namespace ClickCollect.BrowserTests;

// Every page names its licence (Apache-2.0, #14) and links the accessibility statement (#19) in its footer.
public sealed class FooterTests
{
    [Fact]
    public async Task Every_page_has_the_licence_link_in_its_footer()
    {
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.PatronAsync(app, "P0001");
        await DemoAccounts.StaffAsync(app, "librarian");
        using var browser = new Browser(site);

        // Every HTML file in wwwroot, so a page added later is covered too, then every view of each.
        var webRoot = app.Service<IWebHostEnvironment>().WebRootPath;
        var files = Directory.GetFiles(webRoot, "*.html", SearchOption.AllDirectories)
            .Select(f => "/" + Path.GetRelativePath(webRoot, f).Replace('\\', '/').Replace("index.html", "", StringComparison.Ordinal))
            .ToList();
        Assert.Contains("/", files);
        Assert.Contains("/staff/", files);
        foreach (var page in files.Concat(["/#/catalogue", "/#/connexion", "/#/compte", "/staff/#/catalogue", "/staff/#/lecteurs"]))
            AssertFooter(browser, page);

        browser.Open("/#/connexion");
        browser.Type("#sign-in-card", "P0001");
        browser.Type("#sign-in-pin", DemoAccounts.Pin);
        browser.Find("form.sign-in button[type=submit]").Click();
        browser.WaitFor("#greeting");
        AssertFooter(browser, "/#/compte");

        browser.Open("/staff/");
        browser.Type("#staff-username", "librarian");
        browser.Type("#staff-password", DemoAccounts.Password);
        browser.Find("form.sign-in button[type=submit]").Click();
        browser.WaitFor("#greeting");
        foreach (var page in new[] { "/staff/#/accueil", "/staff/#/catalogue", "/staff/#/lecteurs" })
            AssertFooter(browser, page);
        browser.Screenshot("staff-catalogue-footer");
    }

    static void AssertFooter(Browser browser, string page)
    {
        browser.Open(page);
        browser.WaitFor("main h1"); // the page's script has run
        var footer = browser.Find("footer.site-footer");
        Assert.True(footer.Displayed, page);
        var licence = footer.FindElement(By.CssSelector("a[href='https://www.apache.org/licenses/LICENSE-2.0']"));
        Assert.Equal("Apache-2.0", licence.Text);
        Assert.Equal("ClickCollect — logiciel libre sous licence Apache-2.0", footer.FindElement(By.CssSelector("p")).Text);
        // The accessibility statement, linked from every footer as French law requires (#19 item 3).
        var statement = footer.FindElement(By.CssSelector("a[data-i18n='footer.accessibility']"));
        Assert.Equal("Accessibilité : totalement conforme", statement.Text);
        Assert.EndsWith("/#/accessibilite", statement.GetAttribute("href"));
    }
}
