using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Features.Catalogue.Marc;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using static ClickCollect.Tests.Features.Catalogue.CatalogueTestKit;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Features.Catalogue;

/// <summary>A re-import as a full export withdraws what it no longer lists, without breaking holds (issue 12, item 2).</summary>
public abstract class FullExportTests<TDb> where TDb : ITestDatabase, new()
{
    static async Task<T> QueryAsync<T>(TestApp app, string sql, object? args = null)
    {
        await using var c = await app.Service<Db>().OpenAsync(default);
        return await c.QuerySingleAsync<T>(sql, args);
    }

    static async Task<long> HoldAsync(TestApp app, string card, long titleId, long point) =>
        (await ReadAsync(await (await PatronAsync(app, card)).PostAsJsonAsync("/api/holds", new { titleId, pickupPointId = point }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();

    [Fact]
    public async Task A_full_export_withdraws_the_copies_it_no_longer_lists_and_their_holds_move_on_or_are_flagged_and_the_patron_told()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var point = await PickupPointIdAsync(app, CentralAdults);
        await app.ImportOkAsync($"""
            {Header}
            FULL-1,,Germinal,"Zola, Émile",,1885,fr,adult,book,Roman,FX-A,CENTRALE,Romans,R ZOL,
            FULL-1,,Germinal,"Zola, Émile",,1885,fr,adult,book,Roman,FX-B,CENTRALE,Romans,R ZOL,
            FULL-2,,Nana,"Zola, Émile",,1880,fr,adult,book,Roman,FX-C,CENTRALE,Romans,R ZOL,
            """);
        var germinal = await QueryAsync<long>(app, "select id from titles where record_id = 'FULL-1'");
        var nana = await QueryAsync<long>(app, "select id from titles where record_id = 'FULL-2'");
        var first = await HoldAsync(app, "P0001", germinal, point);  // takes FX-A
        var second = await HoldAsync(app, "P0002", nana, point);     // takes FX-C, the only copy

        // The library system deleted FX-A and FX-C (and, in this test, everything else it no longer lists).
        var report = await app.Director().PostAsync("/api/catalogue/imports?format=csv&full=true", new StringContent($"""
            {Header}
            FULL-1,,Germinal,"Zola, Émile",,1885,fr,adult,book,Roman,FX-B,CENTRALE,Romans,R ZOL,
            FULL-2,,Nana,"Zola, Émile",,1880,fr,adult,book,Roman,,,,,
            """, Encoding.UTF8, "text/csv"));
        var body = await ReadAsync(report, HttpStatusCode.OK);
        Assert.True(body.GetProperty("withdrawn").GetInt32() >= 2);

        Assert.Equal("withdrawn", await QueryAsync<string>(app, "select status from copies where barcode = 'FX-A'"));
        Assert.Equal("withdrawn", await QueryAsync<string>(app, "select status from copies where barcode = 'FX-C'"));
        Assert.Equal(("toPick", "FX-B"), await QueryAsync<(string, string)>(app, 
            "select h.status, c.barcode from holds h join copies c on c.id = h.copy_id where h.id = @first", new { first }));
        Assert.Equal("queued", await QueryAsync<string>(app, "select status from holds where id = @second", new { second }));
        var alerts = await app.Counter().GetJsonAsync("/api/holds/alerts");
        Assert.Contains(second, alerts.EnumerateArray().Select(a => a.GetProperty("holdId").GetInt64()));
        Assert.DoesNotContain(first, alerts.EnumerateArray().Select(a => a.GetProperty("holdId").GetInt64()));
        Assert.Equal(1L, await QueryAsync<long>(app, """
            select count(*) from sms_outbox o join holds h on h.patron_id = o.patron_id where h.id = @second and o.kind = 'copyUnavailable'
            """, new { second }));

        // The same full export again changes nothing more.
        var again = await ReadAsync(await app.Director().PostAsync("/api/catalogue/imports?format=csv&full=true", new StringContent($"""
            {Header}
            FULL-1,,Germinal,"Zola, Émile",,1885,fr,adult,book,Roman,FX-B,CENTRALE,Romans,R ZOL,
            FULL-2,,Nana,"Zola, Émile",,1880,fr,adult,book,Roman,,,,,
            """, Encoding.UTF8, "text/csv")), HttpStatusCode.OK);
        Assert.Equal(0, again.GetProperty("withdrawn").GetInt32());
    }

    [Fact]
    public async Task A_full_export_listing_no_copy_is_refused_and_withdraws_nothing()
    {
        await using var app = await TestApp.StartAsync<TDb>();
        var before = await QueryAsync<long>(app, "select count(*) from copies where status = 'withdrawn'");
        await AssertProblemAsync(await app.Director().PostAsync("/api/catalogue/imports?format=csv&full=true",
            new StringContent($"{Header}\nFULL-9,,Seul,\"Auteur, Un\",,2001,fr,adult,book,Roman,,,,,\n", Encoding.UTF8, "text/csv")),
            HttpStatusCode.UnprocessableEntity, "import_rejected");
        Assert.Equal(before, await QueryAsync<long>(app, "select count(*) from copies where status = 'withdrawn'"));
    }

    [Fact]
    public async Task A_full_MARC_export_withdraws_the_copies_no_record_names()
    {
        await using var app = await TestApp.StartEmptyAsync<TDb>(new()
        {
            ["MarcImport:Branches:BIB1"] = "CEN", ["MarcImport:Branches:BIB2"] = "NORD", ["MarcImport:DefaultBranch"] = "CEN",
        });
        await Seed.BranchAsync(app, "CEN");
        await Seed.BranchAsync(app, "NORD");
        await app.ImportOkAsync($"{Header}\nFULL-3,,Thérèse Raquin,\"Zola, Émile\",,1867,fr,adult,book,Roman,FX-D,CEN,Romans,R ZOL,\n");
        var content = new ByteArrayContent(MarcSamples.Bytes(MarcSamples.Unimarc));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/marc");

        var body = await ReadAsync(await app.Director().PostAsync("/api/catalogue/imports?format=unimarc&full=true", content), HttpStatusCode.OK);

        Assert.True(body.GetProperty("withdrawn").GetInt32() >= 1);
        Assert.Equal("withdrawn", await QueryAsync<string>(app, "select status from copies where barcode = 'FX-D'"));
        Assert.True(await QueryAsync<long>(app, "select count(*) from copies where status <> 'withdrawn'") > 0); // the file's own copies stay
    }
}

public sealed class FullExportTests_Sqlite : FullExportTests<SqliteTestDatabase>;
public sealed class FullExportTests_Postgres : FullExportTests<PostgresTestDatabase>;
