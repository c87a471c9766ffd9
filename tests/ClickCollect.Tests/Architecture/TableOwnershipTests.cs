using System.Text.RegularExpressions;
using ClickCollect.Tests.Contract;

namespace ClickCollect.Tests.Architecture;

/// <summary>
/// ARCHITECTURE.md's owner map, held against the code (#15 item 6): every SQL write under src/ClickCollect.Api
/// comes from a feature the map lists for its table, and every table the migrations create is in the map.
/// </summary>
public sealed partial class TableOwnershipTests
{
    static readonly string Root = OpenApiDocumentTests.RepositoryRoot();

    [Fact]
    public void Every_table_is_written_only_by_the_features_the_map_names()
    {
        var owners = OwnerMap();
        var strays = Writes()
            .Where(w => owners.TryGetValue(w.Table, out var allowed) && !allowed.Contains(w.Feature))
            .Select(w => $"{w.Table} written by {w.Feature} in {w.File} (map: {string.Join(", ", owners[w.Table])})")
            .Distinct().ToList();
        Assert.Empty(strays);
    }

    [Fact]
    public void Every_table_of_the_migrations_has_an_owner_in_the_map()
    {
        var owners = OwnerMap();
        var tables = Directory.GetFiles(Path.Combine(Root, "db", "sqlite"), "*.sql")
            .SelectMany(f => CreateTable().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value.ToLowerInvariant()))
            .Append("schema_migrations") // created by the Migrator itself
            .ToHashSet();
        Assert.Empty(tables.Where(t => !owners.ContainsKey(t)).Order());
        Assert.Empty(owners.Keys.Where(t => !tables.Contains(t)).Order()); // no stale rows either
    }

    [Fact]
    public void The_scan_sees_the_writes_it_guards()
    {
        var writes = Writes().ToList();
        Assert.Contains(writes, w => w is { Table: "holds", Feature: "Holds" });
        Assert.Contains(writes, w => w is { Table: "appointments", Feature: "Appointments" });
        Assert.Contains(writes, w => w is { Table: "loans", Feature: "Loans" });
        Assert.Contains(writes, w => w is { Table: "sms_outbox", Feature: "Notifications" });
    }

    /// <summary>table → features, from the "| `table`, `table` | Feature, Feature | …" rows of ARCHITECTURE.md.</summary>
    static Dictionary<string, HashSet<string>> OwnerMap()
    {
        var map = new Dictionary<string, HashSet<string>>();
        foreach (var line in File.ReadLines(Path.Combine(Root, "ARCHITECTURE.md")))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 4 || !cells[1].StartsWith('`')) continue;
            // "Holds, Privacy (retention)": the feature is each entry's first word.
            var features = cells[2].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f.Split(' ')[0]).ToHashSet();
            foreach (Match table in Quoted().Matches(cells[1])) map.Add(table.Groups[1].Value, features);
        }
        Assert.NotEmpty(map);
        return map;
    }

    sealed record Write(string Table, string Feature, string File);

    static IEnumerable<Write> Writes()
    {
        var source = Path.Combine(Root, "src", "ClickCollect.Api");
        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file).Replace('\\', '/');
            if (relative.StartsWith("bin/") || relative.StartsWith("obj/")) continue;
            var parts = relative.Split('/');
            var feature = parts[0] == "Features" ? parts[1] : parts[0];
            foreach (Match write in SqlWrite().Matches(File.ReadAllText(file)))
                yield return new Write(write.Groups[2].Value.ToLowerInvariant(), feature, relative);
        }
    }

    [GeneratedRegex(@"\b(insert\s+into|update|delete\s+from)\s+([a-z_]+)\b(?=\s|\(|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SqlWrite();

    [GeneratedRegex(@"create\s+(?:virtual\s+)?table\s+(?:if\s+not\s+exists\s+)?(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"`(\w+)`")]
    private static partial Regex Quoted();
}
