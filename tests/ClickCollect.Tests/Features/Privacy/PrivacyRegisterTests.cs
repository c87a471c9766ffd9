using System.Text.RegularExpressions;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;
using Microsoft.Data.Sqlite;

namespace ClickCollect.Tests.Features.Privacy;

/// <summary>#16: PRIVACY.md lists every column that looks like personal data; a new one must be added to it.</summary>
public sealed partial class PrivacyRegisterTests
{
    [GeneratedRegex("phone|email|name|note|body|text|address|card|comment|reason|summary|explanation|liked|avoid|pin_hash|to_number|actor|details|page|response")]
    private static partial Regex LooksPersonal();

    [Fact]
    public async Task Every_column_named_like_personal_data_is_listed_in_PRIVACY_md()
    {
        await using var c = new SqliteConnection("Data Source=:memory:");
        await c.OpenAsync();
        foreach (var migration in Migrator.Load(SqlDialect.Sqlite)) await c.ExecuteAsync(migration.Sql);
        var tables = await c.QueryAsync<string>("select name from sqlite_master where type = 'table' and name not like 'sqlite%' and name not like 'titles_fts%'");
        var register = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "PRIVACY.md"));

        var missing = new List<string>();
        foreach (var table in tables)
            foreach (var column in await c.QueryAsync<string>($"select name from pragma_table_info('{table}')"))
                if (LooksPersonal().IsMatch(column) && !register.Contains($"`{table}.{column}`", StringComparison.Ordinal))
                    missing.Add($"{table}.{column}");
        Assert.True(missing.Count == 0, $"PRIVACY.md does not list: {string.Join(", ", missing)}");
    }

    static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ClickCollect.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("ClickCollect.sln not found above the test binaries.");
    }
}
