using System.Net;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Features.Catalogue.CatalogueTestKit;

namespace ClickCollect.Tests.Features.Catalogue;

public abstract class TitleDetailTests<TDb> where TDb : ITestDatabase, new()
{
    const string Catalogue = $"""
        {Header}
        E1,2070360024,L'Étranger,"Camus, Albert",Gallimard,1942,fr,adult,book,Roman|Classique,B01,CEN,Adultes R,R CAM,
        E1,2070360024,L'Étranger,"Camus, Albert",Gallimard,1942,fr,adult,book,Roman|Classique,B02,NORD,Adultes R,R CAM,onLoan
        E1,2070360024,L'Étranger,"Camus, Albert",Gallimard,1942,fr,adult,book,Roman|Classique,B03,NORD,Adultes R,R CAM,lost
        E1,2070360024,L'Étranger,"Camus, Albert",Gallimard,1942,fr,adult,book,Roman|Classique,B04,CEN,Adultes R,R CAM,withdrawn
        P1,,La Peste,"Camus, Albert",Gallimard,1947,fr,adult,book,roman|Épidémie,B05,CEN,Adultes R,R CAM,
        P2,,Le Petit Prince,"Saint-Exupéry, Antoine de",,1943,fr,children,book,Conte,,,,,
        """;

    static async Task<(TestApp App, long Id)> StartAsync()
    {
        var app = await TestApp.StartEmptyAsync<TDb>();
        await Seed.BranchAsync(app, "CEN");
        await Seed.BranchAsync(app, "NORD");
        await app.ImportOkAsync(Catalogue);
        return (app, await TitleIdAsync(app, "E1"));
    }

    static string[] Copies(JsonElement title) => title.GetProperty("copies").EnumerateArray()
        .Select(c => $"{c.GetProperty("branchName").GetString()}:{c.GetProperty("status").GetString()}:{c.GetProperty("barcode").GetString() ?? "-"}:{c.GetProperty("shelfLocation").GetString() ?? "-"}")
        .Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Staff_see_every_copy_with_barcode_and_shelf_details()
    {
        var (app, id) = await StartAsync();
        await using var _ = app;
        var title = await app.Counter().GetJsonAsync($"/api/titles/{id}");
        Assert.Equal(("E1", "2070360024", "L'Étranger", 1), (title.GetProperty("recordId").GetString(), title.GetProperty("isbn").GetString(),
            title.GetProperty("title").GetString(), title.Int("availableCopies")));
        Assert.Equal(["Bibliothèque CEN:onShelf:B01:Adultes R", "Bibliothèque CEN:withdrawn:B04:Adultes R",
            "Bibliothèque NORD:lost:B03:Adultes R", "Bibliothèque NORD:onLoan:B02:Adultes R"], Copies(title));
        Assert.Equal("R CAM", title.GetProperty("copies")[0].GetProperty("callNumber").GetString());
    }

    [Fact]
    public async Task Patrons_and_anonymous_callers_see_where_copies_are_but_not_their_barcodes_nor_lost_or_withdrawn_ones()
    {
        var (app, id) = await StartAsync();
        await using var _ = app;
        var patron = app.ClientAs(new CurrentUser(7, Roles.Patron, "Lectrice", "P0007"));
        foreach (var client in new[] { app.CreateClient(), patron })
        {
            var title = await client.GetJsonAsync($"/api/titles/{id}");
            Assert.Equal(["Bibliothèque CEN:onShelf:-:-", "Bibliothèque NORD:onLoan:-:-"], Copies(title));
            Assert.Null(title.GetProperty("copies")[0].GetProperty("callNumber").GetString());
            Assert.Equal(["Bibliothèque CEN 1/1", "Bibliothèque NORD 0/1"], title.GetProperty("availability").EnumerateArray()
                .Select(a => $"{a.GetProperty("branchName").GetString()} {a.Int("onShelf")}/{a.Int("copies")}"));
        }
    }

    [Fact]
    public async Task An_unknown_title_is_a_404_problem()
    {
        var (app, _) = await StartAsync();
        await using var __ = app;
        await AssertProblemAsync(await app.CreateClient().GetAsync("/api/titles/987654"), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await app.CreateClient().GetAsync("/api/titles/abc"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Genres_are_listed_with_their_number_of_titles_whatever_their_case()
    {
        var (app, _) = await StartAsync();
        await using var __ = app;
        var genres = await app.CreateClient().GetJsonAsync("/api/catalogue/genres");
        Assert.Equal(["Roman 2", "Classique 1", "Conte 1", "Épidémie 1"], genres.EnumerateArray()
            .Select(g => $"{g.GetProperty("genre").GetString()} {g.Int("titles")}"));
    }
}

public sealed class TitleDetailTests_Sqlite : TitleDetailTests<SqliteTestDatabase>;
public sealed class TitleDetailTests_Postgres : TitleDetailTests<PostgresTestDatabase>;
