using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Features.Catalogue.CatalogueTestKit;

namespace ClickCollect.Tests.Features.Catalogue;

public abstract class CatalogueImportCommandTests<TDb> where TDb : ITestDatabase, new()
{
    static async Task<(int ExitCode, string Output)> RunAsync(TestApp app, params string[] args)
    {
        var output = new StringWriter();
        var exitCode = await CatalogueImportCommand.RunAsync(app.Services, args, output, CancellationToken.None);
        return (exitCode, output.ToString());
    }

    static async Task<string> FileAsync(string csv)
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalogue-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, csv);
        return path;
    }

    [Fact]
    public async Task The_command_imports_a_file_prints_the_report_and_exits_0()
    {
        await using var app = await TestApp.StartEmptyAsync<TDb>();
        await Seed.BranchAsync(app, "CEN");
        var path = await FileAsync($"""
            {Header}
            R1,,Nana,"Zola, Émile",,1880,fr,adult,book,Roman,B1,CEN,,,
            R1,,Nana,"Zola, Émile",,1880,fr,adult,book,Roman,B2,CEN,,,
            """);
        try
        {
            var (exitCode, output) = await RunAsync(app, path);
            Assert.Equal(0, exitCode);
            Assert.Contains("titres      : 1 créé(s)", output);
            Assert.Contains("exemplaires : 2 créé(s)", output);
            Assert.Equal((1L, 2L), await CountAsync(app));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task The_command_prints_every_refused_line_and_exits_1()
    {
        await using var app = await TestApp.StartEmptyAsync<TDb>();
        var path = await FileAsync($"""
            {Header}
            R1,,Nana,"Zola, Émile",,1880,fr,adult,book,Roman,B1,CEN,,,
            R2,,Germinal,"Zola, Émile",,18x5,fr,adult,book,Roman,,,,,
            """);
        try
        {
            var (exitCode, output) = await RunAsync(app, path);
            Assert.Equal(1, exitCode);
            Assert.Contains("ligne 2, branchCode", output);
            Assert.Contains("ligne 3, year", output);
            Assert.Equal((0L, 0L), await CountAsync(app));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task The_command_without_an_existing_file_exits_1()
    {
        await using var app = await TestApp.StartEmptyAsync<TDb>();
        Assert.Equal(1, (await RunAsync(app)).ExitCode);
        Assert.Equal(1, (await RunAsync(app, "/nonexistent/catalogue.csv")).ExitCode);
    }
}

public sealed class CatalogueImportCommandTests_Sqlite : CatalogueImportCommandTests<SqliteTestDatabase>;
public sealed class CatalogueImportCommandTests_Postgres : CatalogueImportCommandTests<PostgresTestDatabase>;
