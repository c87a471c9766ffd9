using System.Net;
using System.Text.Json;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Features.Catalogue.CatalogueTestKit;
using static ClickCollect.Tests.Features.Catalogue.Marc.MarcSamples;

namespace ClickCollect.Tests.Features.Catalogue.Marc;

public abstract class MarcImportTests<TDb> where TDb : ITestDatabase, new()
{
    /// <summary>A Koha-like network: branch codes BIB1 and BIB2 of the library system are CEN and NORD here.</summary>
    static readonly Dictionary<string, string?> KohaNetwork = new()
    {
        ["MarcImport:Branches:BIB1"] = "CEN",
        ["MarcImport:Branches:BIB2"] = "NORD",
        ["MarcImport:Locations:ADU"] = "Adultes",
        ["MarcImport:Locations:JEU"] = "Jeunesse",
        ["MarcImport:DefaultBranch"] = "CEN",
    };

    static async Task<TestApp> StartAsync()
    {
        var app = await TestApp.StartEmptyAsync<TDb>(KohaNetwork);
        await Seed.BranchAsync(app, "CEN");
        await Seed.BranchAsync(app, "NORD");
        return app;
    }

    static async Task<JsonElement> ImportOkAsync(TestApp app, byte[] file, string format)
    {
        var response = await app.Director().ImportAsync(file, format);
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task Public_library_MARC_21_records_import_with_their_copies_and_can_be_searched_at_once()
    {
        await using var app = await StartAsync();
        var file = Bytes(Microlif);

        var report = await ImportOkAsync(app, file, "marc21");

        Assert.Equal(("marc21", 18, 0, 18, 18), (report.GetProperty("format").GetString(), report.Int("read"), report.Int("recordsRejected"),
            report.Int("titlesCreated"), report.Int("copiesCreated")));
        var page = await app.CreateClient().GetJsonAsync("/api/titles?q=heather+devon");
        var id = Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64();
        var title = await app.Counter().GetJsonAsync($"/api/titles/{id}");
        Assert.Equal(("Wild grows the heather in Devon", "0764220438", "Bethany House Publishers", 1998, "en", "adult", "book"),
            (title.GetProperty("title").GetString(), title.GetProperty("isbn").GetString(), title.GetProperty("publisher").GetString(),
             title.Int("year"), title.GetProperty("language").GetString(), title.GetProperty("audience").GetString(), title.GetProperty("format").GetString()));
        Assert.Equal(["Phillips, Michael R."], Strings(title.GetProperty("authors")));
        var copy = Assert.Single(title.GetProperty("copies").EnumerateArray());
        Assert.Equal(("3CPL000018271", "FIC PHI", "onShelf"), // "3CPL000018271." in the file: the stray full stop goes
            (copy.GetProperty("barcode").GetString(), copy.GetProperty("callNumber").GetString(), copy.GetProperty("status").GetString()));

        var craig = await app.Counter().GetJsonAsync($"/api/titles/{await TitleIdAsync(app, "97051141")}");
        Assert.Equal("A shoot on Martha's Vineyard : a Martha's Vineyard mystery", craig.GetProperty("title").GetString());
        Assert.Equal(["Jackson, Jeff (Fictitious character)", "Private investigators", "Martha's Vineyard (Mass.)", "Detective and mystery stories"],
            Strings(craig.GetProperty("genres")));
        var zindel = await app.Counter().GetJsonAsync($"/api/titles/{await TitleIdAsync(app, "95008884 /AC")}");
        Assert.Equal("children", zindel.GetProperty("audience").GetString()); // 008/22 'j'

        // The same file again changes nothing.
        var again = await ImportOkAsync(app, file, "marc21");
        Assert.Equal((0, 0, 18, 0, 0, 18), (again.Int("titlesCreated"), again.Int("titlesUpdated"), again.Int("titlesUnchanged"),
            again.Int("copiesCreated"), again.Int("copiesUpdated"), again.Int("copiesUnchanged")));
    }

    [Fact]
    public async Task A_UNIMARC_file_with_995_fields_yields_copies_at_the_branches_the_configuration_maps()
    {
        await using var app = await StartAsync();

        var report = await ImportOkAsync(app, Bytes(Unimarc), "unimarc");

        Assert.Equal((5, 1, 4, 6), (report.Int("read"), report.Int("recordsRejected"), report.Int("titlesCreated"), report.Int("copiesCreated")));
        var rejected = report.GetProperty("rejected").EnumerateArray()
            .Select(r => $"{r.Int("record")} {r.GetProperty("recordId").GetString()} {r.GetProperty("field").GetString()}").ToArray();
        Assert.Equal(["3 UNI-0003 branchCode", "5 UNI-0005 200"], rejected); // ANNEXE is no branch here; a record without a title

        var camus = await app.Counter().GetJsonAsync($"/api/titles/{await TitleIdAsync(app, "UNI-0001")}");
        Assert.Equal(("L'Étranger", "9782070360024", "Gallimard", 1942, "fr"), (camus.GetProperty("title").GetString(),
            camus.GetProperty("isbn").GetString(), camus.GetProperty("publisher").GetString(), camus.Int("year"), camus.GetProperty("language").GetString()));
        Assert.Equal(["Camus, Albert"], Strings(camus.GetProperty("authors")));
        Assert.Equal(["31234000000019 Bibliothèque CEN Adultes R CAM onShelf", "31234000000027 Bibliothèque NORD Adultes R CAM onLoan"],
            camus.GetProperty("copies").EnumerateArray().Select(c => $"{c.GetProperty("barcode").GetString()} {c.GetProperty("branchName").GetString()} " +
                $"{c.GetProperty("shelfLocation").GetString()} {c.GetProperty("callNumber").GetString()} {c.GetProperty("status").GetString()}").Order());

        var asterix = await app.Counter().GetJsonAsync($"/api/titles/{await TitleIdAsync(app, "UNI-0002")}");
        Assert.Equal(("comics", "children"), (asterix.GetProperty("format").GetString(), asterix.GetProperty("audience").GetString()));
        Assert.Equal(["Goscinny, René", "Uderzo, Albert"], Strings(asterix.GetProperty("authors")));
        var prince = await app.Counter().GetJsonAsync($"/api/titles/{await TitleIdAsync(app, "UNI-0003")}");
        Assert.Equal("Le Petit Prince : avec des aquarelles de l'auteur", prince.GetProperty("title").GetString());
        Assert.Equal(["31234000000043 lost", "31234000000050 withdrawn"], prince.GetProperty("copies").EnumerateArray()
            .Select(c => $"{c.GetProperty("barcode").GetString()} {c.GetProperty("status").GetString()}").Order());
        var hugo = await app.Counter().GetJsonAsync($"/api/titles/{await TitleIdAsync(app, "UNI-0004")}");
        Assert.Equal(("Les Misérables. Tome 1", "largePrint"), (hugo.GetProperty("title").GetString(), hugo.GetProperty("format").GetString()));
    }

    [Fact]
    public async Task MARCXML_bibliographic_records_import_and_authority_records_are_reported_and_skipped()
    {
        await using var app = await StartAsync();

        var opera = await ImportOkAsync(app, Bytes(Opera), "marcxml");
        var names = await ImportOkAsync(app, Bytes(Names), "marcxml");

        Assert.Equal((43, 1, 42), (opera.Int("read"), opera.Int("recordsRejected"), opera.Int("titlesCreated"))); // one identifier is there twice
        Assert.Contains(opera.GetProperty("rejected").EnumerateArray(), r => r.GetProperty("reason").GetString()!.Contains("déjà lu"));
        Assert.Equal((20, 20, 0), (names.Int("read"), names.Int("recordsRejected"), names.Int("titlesCreated")));
        Assert.Contains("Die Königin von Saba : Op. 27", (await app.CreateClient().GetJsonAsync("/api/titles?q=saba")).Titles());
    }

    [Fact]
    public async Task The_command_imports_a_gzipped_MARC_file_showing_its_progress()
    {
        await using var app = await StartAsync();
        var output = new StringWriter();

        var exitCode = await CatalogueImportCommand.RunAsync(app.Services, [LocSample, "marc21"], output, CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Contains("24 notice(s) lue(s) en", output.ToString());
        Assert.Contains("titres      : 24 créé(s)", output.ToString());
        Assert.Equal((24L, 0L), await CountAsync(app));
    }

    [Fact]
    public async Task An_unknown_format_is_a_problem_naming_the_field()
    {
        await using var app = await StartAsync();
        var response = await app.Director().ImportAsync([1, 2, 3], "marc");
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, null, "format");
    }
}

public sealed class MarcImportTests_Sqlite : MarcImportTests<SqliteTestDatabase>;
public sealed class MarcImportTests_Postgres : MarcImportTests<PostgresTestDatabase>;
