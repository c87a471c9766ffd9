using System.Collections.ObjectModel;
using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace ClickCollect.BrowserTests.Support;

/// <summary>
/// Debian's headless chromium driven by its chromedriver (PLATFORM.md "Browser tests"): explicit paths,
/// so Selenium Manager never tries to download anything, and a fresh profile per browser.
/// </summary>
public sealed class Browser : IDisposable
{
    public const int PhoneWidth = 390;
    public const int DesktopWidth = 1280;
    const int Height = 900;

    static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
    ];

    readonly ChromeDriver driver;
    readonly string profile;
    readonly Uri baseUri;
    readonly int width;

    public Browser(Uri baseUri, int width = DesktopWidth)
    {
        this.baseUri = baseUri;
        this.width = width;
        profile = Directory.CreateTempSubdirectory("clickcollect-chromium-").FullName;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments(Flags);
        options.AddArguments($"--user-data-dir={profile}", $"--window-size={DesktopWidth},{Height}", "--lang=fr-FR");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        SetViewport(width);
    }

    public IWebDriver Driver => driver;

    public void Open(string path) => driver.Navigate().GoToUrl(new Uri(baseUri, path));

    public IWebElement Find(string css) => driver.FindElement(By.CssSelector(css));

    public ReadOnlyCollection<IWebElement> FindAll(string css) => driver.FindElements(By.CssSelector(css));

    // Selenium polls every 500 ms by default: most waits here end in a few milliseconds, and the suite waits thousands of times.
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    // How long a page may take to show what a step waits for. Generous: `make test` runs the unit tests beside
    // the browser tests, and a passing step never waits this long (it polls every 50 ms).
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Waits until <paramref name="css"/> matches a displayed element (and <paramref name="condition"/> holds for it).</summary>
    public IWebElement WaitFor(string css, Func<IWebElement, bool>? condition = null, string? because = null)
    {
        var wait = new WebDriverWait(driver, Patience) { Message = because ?? $"waiting for {css}", PollingInterval = Poll };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        return wait.Until(d => d.FindElements(By.CssSelector(css))
            .FirstOrDefault(e => e.Displayed && (condition is null || condition(e))))!;
    }

    public void WaitUntil(Func<bool> condition, string because)
    {
        var wait = new WebDriverWait(driver, Patience) { Message = because, PollingInterval = Poll };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        wait.Until(_ => condition());
    }

    /// <summary>
    /// Waits until the element's text contains <paramref name="text"/>, and returns the whole text. The text is read once,
    /// inside the wait: a page that redraws the element between finding it and reading it (the counter's arrivals board
    /// polls) makes the wait try again, rather than fail with a stale element.
    /// </summary>
    public string WaitForText(string css, string text)
    {
        var wait = new WebDriverWait(driver, Patience) { Message = $"waiting for “{text}” in {css}", PollingInterval = Poll };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        return wait.Until(d => d.FindElements(By.CssSelector(css)).Where(e => e.Displayed).Select(e => e.Text)
            .FirstOrDefault(t => t.Contains(text, StringComparison.Ordinal)))!;
    }

    public void Type(string css, string text)
    {
        var input = WaitFor(css);
        input.Clear();
        input.SendKeys(text);
    }

    public object? Script(string script, params object[] args) => driver.ExecuteScript(script, args);

    /// <summary>
    /// Saves the whole page (not just the viewport) at phone and at desktop width (or at
    /// <paramref name="widths"/> when given) to artifacts/browser/&lt;name&gt;-&lt;width&gt;.png (repository root,
    /// git-ignored) and returns the paths; the viewport is then put back as it was.
    /// </summary>
    public IReadOnlyList<string> Screenshot(string name, params int[] widths)
    {
        var paths = new List<string>();
        foreach (var w in widths.Length > 0 ? widths : new[] { PhoneWidth, DesktopWidth })
        {
            SetViewport(w);
            var pageHeight = Convert.ToInt32(Script("return Math.ceil(document.documentElement.scrollHeight);"), CultureInfo.InvariantCulture);
            var shot = (Dictionary<string, object>?)driver.ExecuteCdpCommand("Page.captureScreenshot", new()
            {
                ["format"] = "png",
                ["captureBeyondViewport"] = true,
                ["clip"] = new Dictionary<string, object> { ["x"] = 0, ["y"] = 0, ["width"] = w, ["height"] = pageHeight, ["scale"] = 1 },
            });
            var path = Path.Combine(Artifacts.Folder, $"{name}-{w}.png");
            File.WriteAllBytes(path, Convert.FromBase64String((string)shot!["data"]));
            paths.Add(path);
        }
        SetViewport(width);
        return paths;
    }

    string? clockScript;

    /// <summary>
    /// Sets the page's clock (JavaScript's Date) to <paramref name="now"/> at every page load from now on, so
    /// the page and the app's fake clock agree on "now" (the machine's own date is anything). Time then runs on
    /// from there. Takes effect at the next <see cref="Open"/> of a new document or a reload.
    /// </summary>
    public void SetClock(DateTimeOffset now)
    {
        if (clockScript is not null)
            driver.ExecuteCdpCommand("Page.removeScriptToEvaluateOnNewDocument", new() { ["identifier"] = clockScript });
        var source = $$"""
            (() => {
              const Real = Date, offset = {{now.ToUnixTimeMilliseconds()}} - Real.now();
              function FakeDate(...args) {
                if (!new.target) return new Real(Real.now() + offset).toString();
                return args.length ? new Real(...args) : new Real(Real.now() + offset);
              }
              FakeDate.prototype = Real.prototype;
              FakeDate.now = () => Real.now() + offset;
              FakeDate.parse = Real.parse;
              FakeDate.UTC = Real.UTC;
              window.Date = FakeDate;
            })();
            """;
        var added = (Dictionary<string, object>?)driver.ExecuteCdpCommand("Page.addScriptToEvaluateOnNewDocument", new() { ["source"] = source });
        clockScript = (string)added!["identifier"];
    }

    /// <summary>Lets the page save downloads (a link with <c>download</c>) into <paramref name="folder"/>, for the test to read.</summary>
    public void DownloadTo(string folder) =>
        driver.ExecuteCdpCommand("Browser.setDownloadBehavior", new() { ["behavior"] = "allow", ["downloadPath"] = folder });

    /// <summary>Renders the page with the print stylesheet from now on (what a printer or a PDF gets).</summary>
    public void EmulatePrint() =>
        driver.ExecuteCdpCommand("Emulation.setEmulatedMedia", new() { ["media"] = "print" });

    /// <summary>Prints the page as the browser would (the stylesheet's @page size) to artifacts/browser/&lt;name&gt;.pdf.</summary>
    public string SavePdf(string name)
    {
        var pdf = (Dictionary<string, object>?)driver.ExecuteCdpCommand("Page.printToPDF", new() { ["preferCSSPageSize"] = true });
        var path = Path.Combine(Artifacts.Folder, $"{name}.pdf");
        File.WriteAllBytes(path, Convert.FromBase64String((string)pdf!["data"]));
        return path;
    }

    /// <summary>Gives the page a viewport <paramref name="w"/> px wide (phone-like under 600) without reloading it.</summary>
    public void Resize(int w) => SetViewport(w);

    // The viewport exactly (a window size would include a scrollbar), as a phone when narrow.
    void SetViewport(int w) => driver.ExecuteCdpCommand("Emulation.setDeviceMetricsOverride", new()
    {
        ["width"] = w,
        ["height"] = Height,
        ["deviceScaleFactor"] = 1,
        ["mobile"] = w < 600,
    });

    /// <summary>Script errors the page logged (a failed /api call is the page's business, not an error here).</summary>
    public IReadOnlyList<string> ScriptErrors() =>
        driver.Manage().Logs.GetLog(LogType.Browser)
            .Where(e => e.Level >= LogLevel.Severe && !e.Message.Contains("Failed to load resource", StringComparison.Ordinal))
            .Select(e => e.Message).ToList();

    public void Dispose()
    {
        driver.Quit();
        driver.Dispose();
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { } // chromium may still hold a lock file
    }
}

static class Artifacts
{
    /// <summary>artifacts/browser at the repository root (found from the test binaries), created on first use.</summary>
    public static readonly string Folder = Create();

    static string Create()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ClickCollect.sln"))) dir = dir.Parent;
        var folder = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", "browser");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
