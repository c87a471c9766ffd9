using System.Diagnostics;
using System.Net;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Xunit.Abstractions;
using static ClickCollect.Tests.Features.Catalogue.CatalogueTestKit;

namespace ClickCollect.Tests.Features.Catalogue;

/// <summary>
/// The whole Project Gutenberg sample (11,065 records, tests/ClickCollect.Tests/Data) with about
/// two copies each, through the HTTP import, on each engine. An import this size must take seconds.
/// </summary>
public abstract class LargeCatalogueImportTests<TDb>(ITestOutputHelper output) where TDb : ITestDatabase, new()
{
    static readonly string[] Branches = ["CEN", "NORD", "SUD"];

    [Fact]
    public async Task The_Gutenberg_catalogue_imports_whole_and_can_be_searched_at_once()
    {
        var path = CatalogueGenerator.DataFile();
        Assert.True(path is not null, $"{CatalogueGenerator.FileName} not found in {AppContext.BaseDirectory}Data");
        var rows = CatalogueGenerator.Rows(path, Branches, averageCopies: 2);
        var csv = CatalogueGenerator.ToCsv(rows);
        var titles = rows.Select(r => r.RecordId).Distinct().Count();
        Assert.Equal(11_065, titles);

        await using var app = await TestApp.StartEmptyAsync<TDb>();
        foreach (var code in Branches) await Seed.BranchAsync(app, code);
        var director = app.Director();
        director.Timeout = TimeSpan.FromMinutes(2);

        var watch = Stopwatch.StartNew();
        var report = await app.ImportOkAsync(csv);
        var first = watch.Elapsed;
        watch.Restart();
        var again = await app.ImportOkAsync(csv);
        var second = watch.Elapsed;
        output.WriteLine($"{new TDb().Provider}: {titles} titles, {rows.Count} copies, {csv.Length / 1024} KiB: " +
                         $"first import {first.TotalSeconds:0.00} s, unchanged re-import {second.TotalSeconds:0.00} s");

        Assert.Equal((rows.Count, titles, rows.Count), (report.Int("read"), report.Int("titlesCreated"), report.Int("copiesCreated")));
        Assert.Equal((titles, rows.Count), (again.Int("titlesUnchanged"), again.Int("copiesUnchanged")));
        Assert.Equal(((long)titles, (long)rows.Count), await CountAsync(app));

        // "Le tour du monde en quatre-vingts jours" is in the sample twice (two Gutenberg records).
        var page = await app.CreateClient().GetJsonAsync("/api/titles?q=TOUR+monde+quatre-vingts&language=fr");
        Assert.Contains("Le tour du monde en quatre-vingts jours", page.Titles());
        var byAuthor = await app.CreateClient().GetJsonAsync("/api/titles?q=stevenson&pageSize=100");
        Assert.Contains("The strange case of Dr. Jekyll and Mr. Hyde", byAuthor.Titles());
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync("/api/titles?q=a&available=true")).StatusCode);
    }
}

public sealed class LargeCatalogueImportTests_Sqlite(ITestOutputHelper output) : LargeCatalogueImportTests<SqliteTestDatabase>(output);
public sealed class LargeCatalogueImportTests_Postgres(ITestOutputHelper output) : LargeCatalogueImportTests<PostgresTestDatabase>(output);
