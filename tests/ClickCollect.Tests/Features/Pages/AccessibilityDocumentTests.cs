using System.Text.RegularExpressions;
using ClickCollect.Tests.Contract;

namespace ClickCollect.Tests.Features.Pages;

/// <summary>
/// #19 items 2 and 3: docs/accessibility.md is a self-assessment over every RGAA 4.1 criterion (106 in
/// 13 themes), each met, not met or n/a; the statement page says the same figures in both languages.
/// </summary>
public sealed partial class AccessibilityDocumentTests
{
    // RGAA 4.1: criteria per theme (images, frames, colours, multimedia, tables, links, scripts, mandatory
    // elements, structure, presentation, forms, navigation, consultation).
    static readonly int[] CriteriaPerTheme = [9, 2, 3, 13, 8, 2, 5, 10, 4, 14, 13, 11, 12];

    [Fact]
    public void The_self_assessment_lists_every_rgaa_criterion_once_and_the_statement_gives_its_figures()
    {
        var root = OpenApiDocumentTests.RepositoryRoot();
        var rows = Row().Matches(File.ReadAllText(Path.Combine(root, "docs", "accessibility.md")))
            .Select(m => (Theme: int.Parse(m.Groups[1].Value), Number: int.Parse(m.Groups[2].Value), Status: m.Groups[3].Value)).ToList();

        var expected = CriteriaPerTheme.SelectMany((count, theme) => Enumerable.Range(1, count).Select(n => $"{theme + 1}.{n}")).ToList();
        Assert.Equal(106, expected.Count);
        Assert.Equal(expected, rows.Select(r => $"{r.Theme}.{r.Number}"));

        int met = rows.Count(r => r.Status == "met"), notMet = rows.Count(r => r.Status == "not met"), na = rows.Count(r => r.Status == "n/a");
        var rate = met * 100 / (met + notMet); // rounded down: the statement never claims more than is met
        var document = File.ReadAllText(Path.Combine(root, "docs", "accessibility.md"));
        Assert.Contains($"**Result: {met} criteria met, {notMet} not met, {na} not applicable — {rate} % of the applicable criteria met", document);

        var strings = File.ReadAllText(Path.Combine(root, "src", "ClickCollect.Api", "wwwroot", "js", "accessibility-strings.js"));
        Assert.Contains($"{met} critères respectés sur {met + notMet} applicables ({rate} %), {na} critères", strings);
        Assert.Contains($"{met} of {met + notMet} applicable criteria met ({rate} %); {na} criteria", strings);
        // Fully compliant only when nothing applicable is missed; the footer and the statement say which.
        var level = notMet == 0 ? ("totalement conforme", "fully compliant") : ("partiellement conforme", "partially compliant");
        Assert.Contains($"ClickCollect est {level.Item1}", strings);
        Assert.Contains($"ClickCollect is {level.Item2}", strings);
        var table = File.ReadAllText(Path.Combine(root, "src", "ClickCollect.Api", "wwwroot", "js", "strings.js"));
        Assert.Contains($"'footer.accessibility': 'Accessibilité : {level.Item1}'", table);
    }

    [GeneratedRegex(@"^\| (\d+)\.(\d+) \| [^|]+ \| (met|not met|n/a) \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}
