using System.Collections.ObjectModel;
using Deque.AxeCore.Commons;

namespace ClickCollect.BrowserTests.Support;

/// <summary>
/// axe-core (the engine of Deque.AxeCore.Commons: its axe.min.js is embedded in the package, nothing is
/// downloaded) run inside the page through Selenium, on the rules that WCAG 2.1 A/AA and RGAA 4.1 map
/// to (#19 item 1). The script is injected once per document: a hash route change keeps it.
/// </summary>
sealed class Axe(Browser browser)
{
    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "RGAAv4"];

    static readonly Lazy<string> Script = new(() => new BundledAxeScriptProvider().GetScript());

    /// <summary>One line per violation and element: rule, impact, CSS target and what axe says to fix.</summary>
    public IReadOnlyList<string> Violations()
    {
        Inject();
        var result = browser.Driver is OpenQA.Selenium.IJavaScriptExecutor js
            ? js.ExecuteAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
                  .then((r) => done(r.violations.flatMap((v) => v.nodes.map((n) =>
                      v.id + ' (' + v.impact + '): ' + n.target.join(' > ') + ' — ' + v.help + ' — ' + (n.failureSummary || '').replace(/\s+/g, ' ')))),
                        (e) => done(['axe failed: ' + e]));
                """, Tags.Cast<object>().ToList())
            : throw new InvalidOperationException("no script executor");
        return ((ReadOnlyCollection<object>)result!).Select(o => (string)o).ToList();
    }

    /// <summary>The ids of the rules those tags run in this axe-core version.</summary>
    public IReadOnlyList<string> Rules()
    {
        Inject();
        var rules = (ReadOnlyCollection<object>)browser.Script("return axe.getRules(arguments[0]).map((r) => r.ruleId);", Tags.Cast<object>().ToList())!;
        return rules.Select(o => (string)o).Order(StringComparer.Ordinal).ToList();
    }

    public string Version()
    {
        Inject();
        return (string)browser.Script("return axe.version;")!;
    }

    void Inject()
    {
        if (browser.Script("return typeof window.axe === 'object';") is true) return;
        browser.Script(Script.Value);
    }
}
