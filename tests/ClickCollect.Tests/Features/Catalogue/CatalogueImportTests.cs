using System.Net;
using System.Text;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Features.Catalogue.CatalogueTestKit;

namespace ClickCollect.Tests.Features.Catalogue;

public abstract class CatalogueImportTests<TDb> where TDb : ITestDatabase, new()
{
    const string FirstFile = $"""
        {Header}
        R1,978-2-07-036002-4,L'Étranger,"Camus, Albert",Gallimard,1942,fr,adult,book,Roman|Classique,B001,CEN,Adultes R,R CAM,
        R1,978-2-07-036002-4,L'Étranger,"Camus, Albert",Gallimard,1942,fr,adult,book,Roman|Classique,B002,NORD,Adultes R,R CAM,onLoan
        R2,,Le Petit Prince,"Saint-Exupéry, Antoine de",Gallimard,1943,fr,children,book,Conte,B003,CEN,Jeunesse C,C SAI,onShelf
        R3,,Les Misérables,"Hugo, Victor",,1862,fr,adult,largePrint,Roman,,,,,
        """;

    static async Task<TestApp> StartAsync()
    {
        var app = await TestApp.StartEmptyAsync<TDb>(); // no demo catalogue: counts are this file's own
        await Seed.BranchAsync(app, "CEN");
        await Seed.BranchAsync(app, "NORD");
        return app;
    }

    [Fact]
    public async Task Importing_creates_titles_and_copies_and_reports_the_counts()
    {
        await using var app = await StartAsync();
        var report = await app.ImportOkAsync(FirstFile);

        Assert.Equal((4, 3, 0, 3, 0, 0), (report.Int("read"), report.Int("titlesCreated"), report.Int("titlesUpdated"),
            report.Int("copiesCreated"), report.Int("copiesUpdated"), report.Int("withdrawn")));
        Assert.Empty(report.GetProperty("rejected").EnumerateArray());
        Assert.Equal((3L, 3L), await CountAsync(app));

        var title = await app.Counter().GetJsonAsync($"/api/titles/{await TitleIdAsync(app, "R1")}");
        Assert.Equal("9782070360024", title.GetProperty("isbn").GetString());
        Assert.Equal(["Camus, Albert"], title.GetProperty("authors").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["Roman", "Classique"], title.GetProperty("genres").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["B001:onShelf", "B002:onLoan"], title.GetProperty("copies").EnumerateArray()
            .Select(c => $"{c.GetProperty("barcode").GetString()}:{c.GetProperty("status").GetString()}").Order());
    }

    [Fact]
    public async Task Importing_again_updates_titles_and_copies_withdraws_and_moves_copies_and_leaves_the_rest_alone()
    {
        await using var app = await StartAsync();
        await app.ImportOkAsync(FirstFile);
        app.Clock.Advance(TimeSpan.FromDays(1));

        // R1 gets a new title; B001 is withdrawn; B003 moves from R2 to R3; B004 is new; R2 and B002 do not change.
        var report = await app.ImportOkAsync($"""
            {Header}
            R1,978-2-07-036002-4,L'Étranger (Folio),"Camus, Albert",Gallimard,1942,fr,adult,book,Roman|Classique,B001,CEN,Adultes R,R CAM,withdrawn
            R1,978-2-07-036002-4,L'Étranger (Folio),"Camus, Albert",Gallimard,1942,fr,adult,book,Roman|Classique,B002,NORD,Adultes R,R CAM,onLoan
            R2,,Le Petit Prince,"Saint-Exupéry, Antoine de",Gallimard,1943,fr,children,book,Conte,,,,,
            R3,,Les Misérables,"Hugo, Victor",,1862,fr,adult,largePrint,Roman,B003,NORD,Grands caractères,R HUG,
            R3,,Les Misérables,"Hugo, Victor",,1862,fr,adult,largePrint,Roman,B004,NORD,Grands caractères,R HUG,
            """);

        Assert.Equal((0, 1, 2), (report.Int("titlesCreated"), report.Int("titlesUpdated"), report.Int("titlesUnchanged")));
        Assert.Equal((1, 2, 1, 1), (report.Int("copiesCreated"), report.Int("copiesUpdated"), report.Int("copiesUnchanged"), report.Int("withdrawn")));
        Assert.Equal((3L, 4L), await CountAsync(app));

        var staff = app.Counter();
        var r1 = await staff.GetJsonAsync($"/api/titles/{await TitleIdAsync(app, "R1")}");
        Assert.Equal("L'Étranger (Folio)", r1.GetProperty("title").GetString());
        Assert.Equal(["L'Étranger (Folio)"], (await staff.GetJsonAsync("/api/titles?q=folio")).Titles()); // the search index follows
        Assert.Contains(r1.GetProperty("copies").EnumerateArray(), c => c.GetProperty("barcode").GetString() == "B001" && c.GetProperty("status").GetString() == "withdrawn");
        var r2 = await staff.GetJsonAsync($"/api/titles/{await TitleIdAsync(app, "R2")}");
        Assert.Empty(r2.GetProperty("copies").EnumerateArray());
        var r3 = await staff.GetJsonAsync($"/api/titles/{await TitleIdAsync(app, "R3")}");
        Assert.Equal(["B003", "B004"], r3.GetProperty("copies").EnumerateArray().Select(c => c.GetProperty("barcode").GetString()).Order());
    }

    [Fact]
    public async Task A_title_imported_is_found_at_once_by_a_search_made_before_the_import()
    {
        // Searches by words are cached (#17, SearchCache): an import must not leave them stale.
        await using var app = await StartAsync();
        await app.ImportOkAsync(FirstFile);
        var patron = app.CreateClient();
        Assert.Equal(1, (await patron.GetJsonAsync("/api/titles?q=prince")).Int("total"));

        await app.ImportOkAsync($"""
            {Header}
            R4,,Le Prince,"Machiavel, Nicolas",,1532,fr,adult,book,Essai,B004,CEN,Adultes E,E MAC,onShelf
            """);

        Assert.Equal(2, (await patron.GetJsonAsync("/api/titles?q=prince")).Int("total"));
    }

    [Fact]
    public async Task A_title_imported_on_another_instance_is_found_at_once_by_a_search_cached_before_the_import()
    {
        // Two instances on one database (#18): A's cached ranking of "prince" is keyed by the catalogue version,
        // which B's import bumps in its own transaction; A sees the new title without waiting for the cache to expire.
        await using var a = await StartAsync();
        await using var b = TestApp.StartOn(a);
        await a.ImportOkAsync(FirstFile);
        var patron = a.CreateClient();
        Assert.Equal(["Le Petit Prince"], (await patron.GetJsonAsync("/api/titles?q=prince")).Titles());

        await b.ImportOkAsync($"""
            {Header}
            R4,,Le Prince,"Machiavel, Nicolas",,1532,fr,adult,book,Essai,B004,CEN,Adultes E,E MAC,onShelf
            """);

        Assert.Equal(["Le Petit Prince", "Le Prince"], (await patron.GetJsonAsync("/api/titles?q=prince")).Titles().Order());
    }

    [Fact]
    public async Task A_file_with_one_bad_row_is_refused_whole_naming_its_physical_line_and_nothing_changes()
    {
        await using var app = await StartAsync();
        await app.ImportOkAsync(FirstFile);
        var before = await CountAsync(app);

        // The title of line 2 spans two physical lines, so the bad record (third) starts on line 5.
        var response = await app.Director().ImportAsync($"""
            {Header}
            R4,,"Vingt mille lieues
            sous les mers","Verne, Jules",Hetzel,1870,fr,youth,book,Aventure,B010,CEN,,,
            R5,,Germinal,"Zola, Émile",,1885,fr,adult,book,Roman,B011,CEN,,,
            R6,,Nana,"Zola, Émile",,18x0,fr,adult,book,Roman,B012,CEN,,,
            """);

        var problem = await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "import_rejected", "rows[5].year");
        var rejected = Assert.Single(problem.GetProperty("rejected").EnumerateArray());
        Assert.Equal((5, "year"), (rejected.Int("line"), rejected.GetProperty("field").GetString()));
        Assert.Equal(before, await CountAsync(app));
    }

    [Fact]
    public async Task Every_bad_row_is_listed_unknown_branch_repeated_barcode_and_a_record_described_two_ways()
    {
        await using var app = await StartAsync();
        var response = await app.Director().ImportAsync($"""
            {Header}
            R1,,Nana,"Zola, Émile",,1880,fr,adult,book,Roman,B1,SUD,,,
            R2,,Germinal,"Zola, Émile",,1885,fr,adult,book,Roman,B2,CEN,,,
            R2,,Germinal,"Zola, Emile",,1885,fr,adult,book,Roman,B3,CEN,,,
            R3,,L'Assommoir,"Zola, Émile",,1877,fr,adult,book,Roman,B2,CEN,,,
            R4,,Au Bonheur des Dames,"Zola, Émile",,1883,fra,adult,book,Roman,,,,,
            """);

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "import_rejected",
            "rows[2].branchCode", "rows[4].authors", "rows[5].barcode", "rows[6].language");
        Assert.Equal((0L, 0L), await CountAsync(app));
    }

    [Fact]
    public async Task Only_directors_may_import()
    {
        await using var app = await StartAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().ImportAsync(FirstFile)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Librarian().ImportAsync(FirstFile)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Counter().ImportAsync(FirstFile)).StatusCode);
        Assert.Equal((0L, 0L), await CountAsync(app));
    }

    [Theory]
    [InlineData("xlsx")]
    [InlineData("marc")]
    public async Task An_unknown_format_is_refused_naming_format(string format)
    {
        await using var app = await StartAsync();
        var response = await app.Director().ImportAsync(FirstFile, format);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_request", "format");
        Assert.Equal((0L, 0L), await CountAsync(app));
    }

    [Fact]
    public async Task A_Windows_file_with_byte_order_mark_and_CRLF_is_imported()
    {
        await using var app = await StartAsync();
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(FirstFile.ReplaceLineEndings("\r\n") + "\r\n")).ToArray();
        var response = await app.Director().ImportAsync(bytes);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await JsonAsync(response)).Int("copiesCreated"));
    }

    [Fact]
    public async Task A_Latin1_file_is_refused_rather_than_imported_with_broken_accents()
    {
        await using var app = await StartAsync();
        var response = await app.Director().ImportAsync(Encoding.Latin1.GetBytes(FirstFile));
        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "import_rejected",
            "rows[2].title", "rows[3].title", "rows[4].authors", "rows[5].title");
        Assert.Equal((0L, 0L), await CountAsync(app));
    }

    [Fact]
    public async Task A_copy_held_by_ClickCollect_stays_held_when_the_library_system_says_it_is_on_the_shelf()
    {
        await using var app = await StartAsync();
        await app.ImportOkAsync(FirstFile);
        await ExecuteAsync(app, "update copies set status = 'held' where barcode = 'B003'");

        var report = await app.ImportOkAsync(FirstFile);

        Assert.Equal((0, 3), (report.Int("copiesUpdated"), report.Int("copiesUnchanged")));
        var title = await app.Counter().GetJsonAsync($"/api/titles/{await TitleIdAsync(app, "R2")}");
        Assert.Equal("held", title.GetProperty("copies")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_importer_takes_rows_built_in_code_inside_the_callers_unit_of_work()
    {
        await using var app = await StartAsync();
        CatalogueRow[] rows =
        [
            new() { RecordId = "S1", Title = "Bel-Ami", Authors = ["Maupassant, Guy de"], Language = "fr", Barcode = "S-1", BranchCode = "CEN" },
            new() { RecordId = "S1", Title = "Bel-Ami", Authors = ["Maupassant, Guy de"], Language = "fr", Barcode = "S-2", BranchCode = "NORD" },
        ];
        var importer = app.Service<CatalogueImport>();

        await using (var uow = await app.Service<Db>().WriteAsync(CancellationToken.None))
        {
            var report = await importer.ImportAsync(uow, rows, CancellationToken.None);
            Assert.Equal((1, 2), (report.TitlesCreated, report.CopiesCreated));
            // not committed: the caller's rollback takes the import with it
        }
        Assert.Equal((0L, 0L), await CountAsync(app));

        await app.Service<Db>().WriteAsync(uow => importer.ImportAsync(uow, rows, CancellationToken.None), CancellationToken.None);
        Assert.Equal((1L, 2L), await CountAsync(app));
    }
}

public sealed class CatalogueImportTests_Sqlite : CatalogueImportTests<SqliteTestDatabase>;
public sealed class CatalogueImportTests_Postgres : CatalogueImportTests<PostgresTestDatabase>;
