using System.Collections.ObjectModel;
using System.Diagnostics;
using ClickCollect.BrowserTests.Support;
using ClickCollect.Tests.Support;
using OpenQA.Selenium;
using Xunit.Abstractions;
using static ClickCollect.BrowserTests.Support.Arrange;

namespace ClickCollect.BrowserTests;

/// <summary>
/// #19 item 2, RGAA 10.4 and 10.12 (WCAG 1.4.4 and 1.4.12): the main patron and staff pages with the WCAG
/// text spacing (line height 1.5, paragraphs 2 em apart, letters 0.12 em, words 0.16 em, from a stylesheet a
/// reader's extension would inject) lose nothing at 1280 and 390 px — no box that hides what no longer fits
/// (overflow hidden or clip with more content than room), no scrolling sideways — and at 200 % zoom (a
/// 640 px wide page in CSS pixels) nothing scrolls sideways either. One browser, one app; the pages change by
/// their hash, so the stylesheet stays in the document.
/// </summary>
public sealed class TextSpacingTests(ITestOutputHelper output)
{
    const string Spacing = """
        *, *::before, *::after { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
        p { margin-bottom: 2em !important; }
        """;

    [Fact]
    public async Task The_main_pages_lose_nothing_with_wcag_text_spacing_or_at_200_percent_zoom()
    {
        var watch = Stopwatch.StartNew();
        await using var app = await TestApp.StartAsync();
        var site = app.StartOnSocket();
        await DemoAccounts.PatronAsync(app, "T9401", "Maëlle", "Duchesne-Lambert");
        await DemoAccounts.StaffAsync(app, "director");
        var adults = await Library.PickupPointIdAsync(app, Library.CentralAdults);
        var (title, _) = await Library.BookAsync(app, "Les Fleurs bleues", "Queneau, Raymond", "R QUE", "Romans adultes", "CENTRALE", "CENTRALE");
        var (other, _) = await Library.BookAsync(app, "Zazie dans le métro", "Queneau, Raymond", "R QUE", "Romans adultes", "CENTRALE");
        var ready = Id(await HoldAsync(app, "T9401", title, adults));
        await ReadyAsync(app, ready);
        var booked = Id(await HoldAsync(app, "T9401", other, adults));
        await ReadyAsync(app, booked);
        await Arrange.BookAsync(app, "T9401", adults, Paris(10, 11), booked);
        using var browser = new Browser(site);
        browser.SetClock(app.Clock.GetUtcNow());
        var failures = new List<string>();
        var pages = new List<string> { $"arranged {watch.Elapsed.TotalSeconds:0.0}" };

        void Check(string page, string hash, string? ready = null, string? screenshot = null)
        {
            if (hash.Length > 0) browser.Script("location.hash = arguments[0];", hash);
            browser.WaitUntil(() => (bool)browser.Script("""
                const main = document.querySelector('main');
                return !!main && !!main.querySelector('h1') && !main.querySelector("[data-i18n='app.loading'], [data-state=loading], [data-state=working]");
                """)!, $"{page}: drawn");
            if (ready is not null) browser.WaitFor(ready, because: $"{page}: waiting for {ready}");
            browser.Script("""
                if (!document.getElementById('wcag-spacing')) {
                  const style = document.createElement('style');
                  style.id = 'wcag-spacing';
                  style.textContent = arguments[0];
                  document.head.appendChild(style);
                }
                """, Spacing);
            foreach (var width in new[] { Browser.DesktopWidth, Browser.PhoneWidth })
            {
                browser.Resize(width);
                failures.AddRange(Lost(browser).Select(l => $"{page} [{width} px, text spacing]: {l}"));
            }
            if (screenshot is not null) browser.Screenshot(screenshot, Browser.PhoneWidth, 640, Browser.DesktopWidth);
            // 200 %: 1280 px at twice the size is 640 CSS pixels; the spacing stays (both at once is the harder case).
            browser.Resize(640);
            failures.AddRange(Lost(browser).Select(l => $"{page} [200 % zoom, text spacing]: {l}"));
            browser.Script("document.getElementById('wcag-spacing').disabled = true;");
            failures.AddRange(Lost(browser).Select(l => $"{page} [200 % zoom]: {l}"));
            browser.Script("document.getElementById('wcag-spacing').disabled = false;");
            browser.Resize(Browser.DesktopWidth);
            pages.Add($"{page} {watch.Elapsed.TotalSeconds:0.0}");
        }

        browser.Open("/#/connexion");
        Check("patron sign-in", "");
        // The check sees a loss (once the page is drawn, so the router does not redraw it away): a box too short for its text, and a line drawn over another.
        browser.Script("""
            document.querySelector('main').insertAdjacentHTML('beforeend', '<p class="planted" style="overflow: hidden; height: 1em">Bibliothèque<br>municipale</p>'
              + '<p class="planted">Retrait au comptoir<br><span style="position: relative; top: -1.2em">Jeunesse</span></p>');
            """);
        var planted = Lost(browser).ToList();
        Assert.Contains(planted, l => l.StartsWith("p.planted hides", StringComparison.Ordinal));
        Assert.Contains(planted, l => l.Contains("“Jeunesse” (span)", StringComparison.Ordinal) && l.Contains("overlap", StringComparison.Ordinal));
        Assert.Equal(2, planted.Count); // the text the short box hides is not said to overlap what follows
        browser.Script("document.querySelectorAll('.planted').forEach((n) => n.remove());");
        browser.Type("#sign-in-card", "T9401");
        browser.Type("#sign-in-pin", DemoAccounts.Pin + Keys.Enter);
        browser.WaitFor("#greeting");
        Check("catalogue", "#/catalogue", ".catalogue[data-state=results]");
        Check("title, reserve form open", $"#/titre/{title}", ".title-page:not([data-state=loading])");
        Check("reservations", "#/reservations", ".reservations[data-state=shown] .card");
        Check("slot calendar", $"#/creneau?point={adults}&holds={ready}", ".slot-page[data-state=shown]", "text-spacing-calendar");
        Check("account", "#/compte", ".account[data-state=ready]");
        Check("my data", "#/mes-donnees", "main h2");
        Check("surprise selection form", "#/selection", "fieldset.choices input[name=genres]");
        Check("accessibility statement", "#/accessibilite", ".branch-contacts li");

        browser.Open("/staff/#/accueil");
        browser.Type("#staff-username", "director");
        browser.Type("#staff-password", DemoAccounts.Password + Keys.Enter);
        browser.WaitFor("#greeting");
        Check("staff home", "", ".home-body:not(:has([data-i18n='app.loading']))");
        Check("staff title", $"#/titre/{title}", "form.reserve-for");
        Check("counter", $"#/comptoir?point={adults}&date=2026-03-10", ".appointment", "text-spacing-counter");
        Check("bibliobus", "#/bibliobus");
        Check("patron search", "#/lecteurs?q=T9401", ".patrons[data-state=results]");
        Check("patron record", "#/lecteur/T9401", ".record[data-state=ready]", "text-spacing-record");
        Check("lockdowns", "#/confinements", "form.lockdown-form");
        Check("network", "#/reseau", "main table tbody tr", "text-spacing-network");
        Check("figures", "#/chiffres", ".figures .figures-table");
        Check("selection queue", "#/selections", ".selections:not([data-state=loading])");
        Check("phone-desk selection form", "#/demande-selection", "fieldset.choices input[name=genres]", "text-spacing-selection-phone-desk");
        Check("sms", "#/sms", ".sms:not([data-state=loading])");
        Check("imports", "#/imports", "form.import-form");

        output.WriteLine(string.Join(", ", pages));
        output.WriteLine($"{pages.Count - 1} pages × (1280, 390 px with text spacing; 640 px with and without) in {watch.Elapsed.TotalSeconds:0} s, {failures.Count} losses");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Distinct().Take(60)));
        Assert.Empty(browser.ScriptErrors());
    }

    /// <summary>
    /// What the page loses: a box that hides content (overflow hidden or clip, its content larger than its
    /// room; form controls scroll their own text and the visually hidden captions are meant to be 1 px), a
    /// table cell stacked into a card without its column's name, text drawn over other text or over a field,
    /// and the page scrolling sideways.
    /// </summary>
    static IEnumerable<string> Lost(Browser browser) =>
        ((ReadOnlyCollection<object>)browser.Script("""
            const lost = [];
            const name = (n) => n.tagName.toLowerCase() + (n.id ? '#' + n.id : '') + (n.className && typeof n.className === 'string' ? '.' + n.className.trim().split(/\s+/).join('.') : '');
            document.querySelectorAll('body *').forEach((n) => {
              if (/^(INPUT|SELECT|TEXTAREA|OPTION|SCRIPT|STYLE|IMG|SVG|PROGRESS)$/.test(n.tagName) || n.closest('.visually-hidden')) return;
              if (!n.getClientRects().length) return;
              const s = getComputedStyle(n);
              if (s.clip !== 'auto' && s.position === 'absolute') return; // a screen-reader-only element (the phone's table headers)
              const hidesX = /hidden|clip/.test(s.overflowX), hidesY = /hidden|clip/.test(s.overflowY);
              if (hidesX && n.scrollWidth > n.clientWidth + 1) lost.push(name(n) + ' hides ' + (n.scrollWidth - n.clientWidth) + ' px of its width: “' + n.textContent.trim().slice(0, 60) + '”');
              if (hidesY && n.scrollHeight > n.clientHeight + 1) lost.push(name(n) + ' hides ' + (n.scrollHeight - n.clientHeight) + ' px of its height: “' + n.textContent.trim().slice(0, 60) + '”');
            });
            // A table stacked into cards (phone, 200 %) names each cell by its column; a cell without one shows a bare colon.
            document.querySelectorAll('td').forEach((td) => {
              if (td.getClientRects().length && /^"\s*:/.test(getComputedStyle(td, '::before').content))
                lost.push(name(td.closest('table')) + ': a cell stacked without its column name: “' + td.textContent.trim().slice(0, 40) + '”');
            });
            // Text drawn over other text or over a field (a line that no longer fits its box and spills onto the next
            // one): the boxes of every visible line of text, and of the fields, compared in reading order.
            const hiddenCache = new Map();
            const unseen = (n) => {
              if (!n || n === document.body) return false;
              if (hiddenCache.has(n)) return hiddenCache.get(n);
              const s = getComputedStyle(n);
              // checkVisibility: not drawn at all, e.g. the inside of a closed <details> (laid out all the same).
              const result = !n.checkVisibility({ opacityProperty: true, visibilityProperty: true }) || (s.clip !== 'auto' && /absolute|fixed/.test(s.position))
                || (s.clipPath && s.clipPath !== 'none') || (n.clientWidth <= 1 && /hidden|clip/.test(s.overflowX)) || unseen(n.parentElement);
              hiddenCache.set(n, result);
              return result;
            };
            // What of a box is seen: its rectangle cut by every ancestor that hides its overflow (that loss is said above).
            const viewCache = new Map();
            const view = (n) => {
              if (!n || n === document.documentElement) return { left: -1e9, top: -1e9, right: 1e9, bottom: 1e9 };
              if (viewCache.has(n)) return viewCache.get(n);
              const outer = view(n.parentElement);
              const s = getComputedStyle(n);
              let v = outer;
              if (!/visible/.test(s.overflowX + s.overflowY) || /hidden|clip/.test(s.overflowX + s.overflowY)) {
                const r = n.getBoundingClientRect();
                v = { left: Math.max(outer.left, r.left), top: Math.max(outer.top, r.top), right: Math.min(outer.right, r.right), bottom: Math.min(outer.bottom, r.bottom) };
              }
              viewCache.set(n, v);
              return v;
            };
            const seen = (r, owner) => {
              const v = view(owner);
              const cut = { left: Math.max(v.left, r.left), top: Math.max(v.top, r.top), right: Math.min(v.right, r.right), bottom: Math.min(v.bottom, r.bottom) };
              return cut.right - cut.left > 2 && cut.bottom - cut.top > 2 ? cut : null;
            };
            const boxes = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let t = walker.nextNode(); t; t = walker.nextNode()) {
              const owner = t.parentElement;
              if (!t.textContent.trim() || !owner || /^(SCRIPT|STYLE|OPTION|SELECT|TEXTAREA)$/.test(owner.tagName) || unseen(owner)) continue;
              const range = document.createRange();
              range.selectNodeContents(t);
              Array.from(range.getClientRects()).map((r) => seen(r, owner)).filter(Boolean)
                .forEach((r) => boxes.push({ r: r, node: t, owner: owner, what: '“' + t.textContent.trim().slice(0, 30) + '”' }));
            }
            document.querySelectorAll('input:not([type=checkbox]):not([type=radio]):not([type=hidden]), select, textarea').forEach((c) => {
              const r = unseen(c) ? null : seen(c.getBoundingClientRect(), c.parentElement);
              if (r) boxes.push({ r: r, node: c, owner: c, what: name(c) });
            });
            boxes.sort((a, b) => a.r.top - b.r.top);
            let overlaps = 0;
            for (let i = 0; i < boxes.length && overlaps < 5; i++) {
              const a = boxes[i];
              for (let j = i + 1; j < boxes.length && boxes[j].r.top < a.r.bottom - 3; j++) {
                const b = boxes[j];
                if (a.node === b.node) continue; // the lines of one text
                const across = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
                const down = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
                if (across > 3 && down > 3) {
                  lost.push(a.what + ' (' + name(a.owner) + ') and ' + b.what + ' (' + name(b.owner) + ') overlap by ' + Math.round(across) + ' × ' + Math.round(down) + ' px');
                  overlaps++;
                }
              }
            }
            const sideways = document.documentElement.scrollWidth - window.innerWidth;
            if (sideways > 1) {
              // The outermost boxes that stick out: wider than the page while their parent is not.
              const out = (n) => n.getBoundingClientRect().right > window.innerWidth + 1;
              const wide = Array.from(document.querySelectorAll('body, body *')).filter((n) => out(n) && n.parentElement && !out(n.parentElement))
                .slice(0, 3).map((n) => name(n) + ' (' + Math.round(n.getBoundingClientRect().left) + '–' + Math.round(n.getBoundingClientRect().right) + ' px)').join(', ');
              lost.push('the page scrolls ' + sideways + ' px sideways (' + wide + ')');
            }
            return lost;
            """)!).Select(o => (string)o);
}
