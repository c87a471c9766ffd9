using System.Net;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using static ClickCollect.Tests.Features.Catalogue.CatalogueTestKit;

namespace ClickCollect.Tests.Features.Catalogue;

/// <summary>One app per engine for the whole class: these tests only read.</summary>
public sealed class SearchCatalogue<TDb> : IAsyncLifetime where TDb : ITestDatabase, new()
{
    // CEN holds two copies of L'Étranger on the shelf; NORD one, on loan. The bibliobus is based at NORD.
    const string Catalogue = $"""
        {Header}
        E1,,L'Étranger,"Camus, Albert",Gallimard,1942,fr,adult,book,Roman|Classique,B01,CEN,R,R CAM,
        E1,,L'Étranger,"Camus, Albert",Gallimard,1942,fr,adult,book,Roman|Classique,B02,CEN,R,R CAM,
        E1,,L'Étranger,"Camus, Albert",Gallimard,1942,fr,adult,book,Roman|Classique,B03,NORD,R,R CAM,onLoan
        H1,,"Hugo, l'enfant des étoiles","Dupont, Marie",,2015,fr,youth,book,Jeunesse,B04,NORD,J,J DUP,
        H2,,Les Misérables,"Hugo, Victor",,1862,fr,adult,book,Roman|Classique,B05,CEN,R,R HUG,
        H3,,Notre-Dame de Paris,"Hugo, Victor",,1831,fr,adult,largePrint,Roman,B06,CEN,GC,R HUG,withdrawn
        H4,,Poèmes choisis,"Anonyme",,1900,fr,adult,book,Hugo (études)|Poésie,B07,CEN,P,P ANO,
        S1,,The Stranger,"Camus, Albert",Vintage,1989,en,adult,dvd,Film,B08,CEN,DVD,DVD CAM,
        Z1,,Étrangers dans la nuit,"Inconnu, Auteur",,1970,fr,adult,book,Roman,,,,,
        """;

    public TestApp App { get; private set; } = null!;
    public long CentralCounter { get; private set; }
    public long NorthCounter { get; private set; }
    public long BusStop { get; private set; }

    public async Task InitializeAsync()
    {
        App = await TestApp.StartEmptyAsync<TDb>();
        var central = await Seed.BranchAsync(App, "CEN");
        var north = await Seed.BranchAsync(App, "NORD");
        (CentralCounter, NorthCounter, BusStop) = (await Seed.CounterPickupPointAsync(App, central),
            await Seed.CounterPickupPointAsync(App, north), await Seed.StopPickupPointAsync(App, north));
        await App.ImportOkAsync(Catalogue);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public abstract class TitleSearchTests<TDb>(SearchCatalogue<TDb> n) : IClassFixture<SearchCatalogue<TDb>> where TDb : ITestDatabase, new()
{
    static Task<System.Text.Json.JsonElement> SearchAsync(TestApp app, string query) => app.CreateClient().GetJsonAsync("/api/titles?" + query);

    [Theory]
    [InlineData("etranger")]
    [InlineData("ETRANGER")]
    [InlineData("étranger")]
    [InlineData("L'ÉTRANGER")]
    [InlineData("e\u0301tranger")] // decomposed é, as some keyboards send it
    public async Task Search_ignores_case_and_accents(string q)
    {
        var page = await SearchAsync(n.App, $"q={Uri.EscapeDataString(q)}");
        Assert.Contains("L'Étranger", page.Titles());
    }

    [Fact]
    public async Task Every_word_is_a_prefix_and_all_words_must_match()
    {
        Assert.Equal(["Les Misérables"], (await SearchAsync(n.App, "q=miser")).Titles());
        Assert.Equal(["Les Misérables"], (await SearchAsync(n.App, "q=hugo+misérables")).Titles());
        Assert.Equal(["L'Étranger", "Étrangers dans la nuit"], (await SearchAsync(n.App, "q=etrang")).Titles().Order(StringComparer.Ordinal));
        Assert.Empty((await SearchAsync(n.App, "q=hugo+camus")).Titles());
    }

    [Fact]
    public async Task Title_matches_rank_above_author_matches_above_genre_matches()
    {
        var titles = (await SearchAsync(n.App, "q=hugo")).Titles();
        Assert.Equal(4, titles.Length);
        Assert.Equal("Hugo, l'enfant des étoiles", titles[0]);
        Assert.Equal(["Les Misérables", "Notre-Dame de Paris"], titles[1..3].Order(StringComparer.Ordinal));
        Assert.Equal("Poèmes choisis", titles[3]);
    }

    [Fact]
    public async Task Without_words_the_catalogue_comes_in_title_order_with_its_authors_genres_and_available_copies()
    {
        var page = await SearchAsync(n.App, "");
        Assert.Equal((7, 1, 20), (page.Int("total"), page.Int("page"), page.Int("pageSize")));
        Assert.Equal(["Hugo, l'enfant des étoiles", "L'Étranger", "Les Misérables", "Notre-Dame de Paris", "Poèmes choisis",
            "The Stranger", "Étrangers dans la nuit"], page.Titles());
        var etranger = page.GetProperty("items")[1];
        Assert.Equal(2, etranger.Int("availableCopies"));
        Assert.Equal(["Camus, Albert"], etranger.GetProperty("authors").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["Roman", "Classique"], etranger.GetProperty("genres").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(("adult", "book", "fr", "Gallimard", 1942), (etranger.GetProperty("audience").GetString(), etranger.GetProperty("format").GetString(),
            etranger.GetProperty("language").GetString(), etranger.GetProperty("publisher").GetString(), etranger.Int("year")));
    }

    [Fact]
    public async Task Filters_narrow_the_results()
    {
        Assert.Equal(["Hugo, l'enfant des étoiles"], (await SearchAsync(n.App, "audience=youth")).Titles());
        Assert.Equal(["Notre-Dame de Paris"], (await SearchAsync(n.App, "format=largePrint")).Titles());
        Assert.Equal(["The Stranger"], (await SearchAsync(n.App, "language=en")).Titles());
        Assert.Equal(["The Stranger"], (await SearchAsync(n.App, "q=camus&format=dvd")).Titles());
        var available = (await SearchAsync(n.App, "available=true")).Titles();
        Assert.DoesNotContain("Notre-Dame de Paris", available); // its only copy is withdrawn
        Assert.DoesNotContain("Étrangers dans la nuit", available); // no copy at all
        Assert.Equal(5, available.Length);
    }

    [Fact]
    public async Task Pages_share_one_total()
    {
        var first = await SearchAsync(n.App, "pageSize=4");
        var second = await SearchAsync(n.App, "pageSize=4&page=2");
        var beyond = await SearchAsync(n.App, "pageSize=4&page=9");
        Assert.Equal((7, 4, 7, 3, 7, 0), (first.Int("total"), first.Titles().Length, second.Int("total"), second.Titles().Length,
            beyond.Int("total"), beyond.Titles().Length));
        Assert.Equal((2, 4), (second.Int("page"), second.Int("pageSize")));
        var all = (await SearchAsync(n.App, "pageSize=100")).Titles();
        Assert.Equal(all, first.Titles().Concat(second.Titles()));
    }

    [Fact]
    public async Task At_a_pickup_point_only_the_copies_of_its_branch_count()
    {
        int Available(System.Text.Json.JsonElement page, string title) =>
            page.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("title").GetString() == title).Int("availableCopies");

        Assert.Equal(2, Available(await SearchAsync(n.App, $"q=etranger&pickupPointId={n.CentralCounter}"), "L'Étranger"));
        Assert.Equal(0, Available(await SearchAsync(n.App, $"q=etranger&pickupPointId={n.NorthCounter}"), "L'Étranger"));
        Assert.Equal(["Hugo, l'enfant des étoiles"], (await SearchAsync(n.App, $"available=true&pickupPointId={n.NorthCounter}")).Titles());
        // A bibliobus stop hands out its home branch's copies.
        Assert.Equal(["Hugo, l'enfant des étoiles"], (await SearchAsync(n.App, $"available=true&pickupPointId={n.BusStop}")).Titles());
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("*")]
    [InlineData("a OR")]
    [InlineData("NEAR(")]
    [InlineData("NEAR(hugo camus, 2)")]
    [InlineData("-x")]
    [InlineData(":")]
    [InlineData("title:hugo")]
    [InlineData("'")]
    [InlineData("\\")]
    [InlineData("hugo AND NOT camus")]
    [InlineData("(hugo) | !camus & <->")]
    [InlineData("^hugo {titre}")]
    [InlineData("ŉ")] // PostgreSQL's unaccent turns it into "'n"
    [InlineData("l'étranger\"*")]
    public async Task Query_strings_with_search_syntax_never_fail(string q)
    {
        var response = await n.App.CreateClient().GetAsync($"/api/titles?q={Uri.EscapeDataString(q)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("audience=alien", "audience")]
    [InlineData("format=vinyl", "format")]
    [InlineData("language=fra", "language")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("available=maybe", "available")] // a binding failure, not the validator
    [InlineData("page=abc", "page")]
    public async Task Unknown_filter_values_are_refused_naming_the_field(string query, string field)
    {
        var response = await n.App.CreateClient().GetAsync("/api/titles?" + query);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, null, field);
    }

    [Theory]
    [InlineData("pickupPointId=999999")]
    [InlineData("pickupPointId=abc")]
    public async Task An_unknown_pickup_point_is_refused_naming_it(string query)
    {
        var response = await n.App.CreateClient().GetAsync("/api/titles?" + query);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, null, "pickupPointId");
    }
}

public sealed class TitleSearchTests_Sqlite(SearchCatalogue<SqliteTestDatabase> n) : TitleSearchTests<SqliteTestDatabase>(n);
public sealed class TitleSearchTests_Postgres(SearchCatalogue<PostgresTestDatabase> n) : TitleSearchTests<PostgresTestDatabase>(n);
