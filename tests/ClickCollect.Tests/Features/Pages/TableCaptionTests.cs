using ClickCollect.Tests.Contract;

namespace ClickCollect.Tests.Features.Pages;

/// <summary>
/// #19, RGAA 5.4: every data table the pages build has a title: a <c>caption</c> (visible, or visually hidden
/// where the heading just above shows the same words) or an <c>aria-labelledby</c> naming its heading. The
/// browser tour (AccessibilityTests) checks the tables it meets; this sees the ones it does not reach.
/// </summary>
public sealed class TableCaptionTests
{
    [Fact]
    public void Every_table_the_pages_build_has_a_caption()
    {
        var wwwroot = Path.Combine(OpenApiDocumentTests.RepositoryRoot(), "src", "ClickCollect.Api", "wwwroot");
        var tables = new List<string>();
        var untitled = new List<string>();
        foreach (var file in Directory.EnumerateFiles(wwwroot, "*.js", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            for (var at = text.IndexOf("el('table'", StringComparison.Ordinal); at >= 0; at = text.IndexOf("el('table'", at + 1, StringComparison.Ordinal))
            {
                // The table's attributes and what comes before its first row group: where its caption is.
                var rows = new[] { "el('thead'", "el('tbody'", "el('tr'" }
                    .Select(g => text.IndexOf(g, at, StringComparison.Ordinal)).Where(i => i > 0).DefaultIfEmpty(text.Length).Min();
                var head = text[at..rows];
                var line = text[..at].Count(c => c == '\n') + 1;
                var name = $"{Path.GetRelativePath(wwwroot, file)}:{line}";
                tables.Add(name);
                if (!head.Contains("el('caption'", StringComparison.Ordinal) && !head.Contains("'aria-labelledby'", StringComparison.Ordinal)) untitled.Add(name);
            }
        }
        Assert.True(tables.Count >= 15, $"only {tables.Count} tables found: {string.Join(", ", tables)}");
        Assert.True(untitled.Count == 0, "tables without a caption: " + string.Join(", ", untitled));
    }
}
