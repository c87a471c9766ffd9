using System.Text.RegularExpressions;
using ClickCollect.Tests.Contract;

namespace ClickCollect.Tests.Features.Pages;

/// <summary>#15: every string table file (wwwroot/**/*strings.js) has a French and an English table with the same keys.</summary>
public sealed partial class StringTableTests
{
    static readonly string Wwwroot = Path.Combine(OpenApiDocumentTests.RepositoryRoot(), "src", "ClickCollect.Api", "wwwroot");

    static List<string> FileNames() =>
        Directory.EnumerateFiles(Wwwroot, "*strings.js", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Wwwroot, f)).Order(StringComparer.Ordinal).ToList();

    public static TheoryData<string> Files() => new(FileNames());

    [Theory]
    [MemberData(nameof(Files))]
    public void French_and_english_have_the_same_keys(string file)
    {
        var text = File.ReadAllText(Path.Combine(Wwwroot, file));
        var fr = Keys(text, "fr");
        var en = Keys(text, "en");
        Assert.NotEmpty(fr);
        Assert.True(fr.Count == fr.Distinct().Count(), $"{file}: a French key is written twice");
        Assert.True(en.Count == en.Distinct().Count(), $"{file}: an English key is written twice");
        Assert.True(fr.Except(en).Order().ToList() is { Count: 0 } noEnglish, $"{file}: no English for {string.Join(", ", fr.Except(en).Order())}");
        Assert.True(en.Except(fr).Order().ToList() is { Count: 0 } noFrench, $"{file}: no French for {string.Join(", ", en.Except(fr).Order())}");
    }

    [Fact]
    public void The_string_table_files_are_found()
    {
        Assert.Contains(Path.Combine("js", "strings.js"), FileNames());
        Assert.Contains(Path.Combine("js", "selection-strings.js"), FileNames());
    }

    /// <summary>
    /// The keys of <c>const {name} = { … };</c>: one entry per line, <c>'key': value,</c>. Any other line
    /// (a key in double quotes, two on a line) fails the test rather than being skipped silently.
    /// </summary>
    static List<string> Keys(string text, string name)
    {
        var start = text.IndexOf($"const {name} = {{", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no table const {name}");
        var end = text.IndexOf("\n};", start, StringComparison.Ordinal);
        var keys = new List<string>();
        foreach (var line in text[start..end].Split('\n').Skip(1))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("//", StringComparison.Ordinal)) continue;
            var match = Entry().Match(line);
            Assert.True(match.Success, $"not one entry per line in table {name}: {line}");
            keys.Add(match.Groups[1].Value);
        }
        return keys;
    }

    [GeneratedRegex(@"^  '([^']+)':\s")]
    private static partial Regex Entry();
}
