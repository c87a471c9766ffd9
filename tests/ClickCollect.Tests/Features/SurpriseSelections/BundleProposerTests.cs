using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.SurpriseSelections;

namespace ClickCollect.Tests.Features.SurpriseSelections;

public sealed class BundleProposerTests
{
    // Title 1 is the one under test; title 2 always passes, so the bundle is never empty by accident.
    static readonly Dictionary<string, (string Reason, Func<Shelf, Shelf> Arrange, Tastes Tastes, Func<BundleInput, BundleInput>? Adjust)> FilterTable = new()
    {
        ["audience"] = ("audience", s => s.Title(1, "Le Horla", "Maupassant, Guy de", "Fantastique"), new Tastes { Audience = Audience.Youth }, null),
        ["format"] = ("format", s => s.Title(1, "Le Horla", "Maupassant, Guy de", "Fantastique"), new Tastes { Formats = [DocumentFormat.LargePrint] }, null),
        ["language"] = ("language", s => s.Title(1, "The Hobbit", "Tolkien, J. R. R.", "Fantasy", language: "en"), new Tastes { Languages = ["fr"] }, null),
        ["avoid a genre, plural"] = ("avoid", s => s.Title(1, "Le Poète", "Connelly, Michael", "Policier|Thriller"), new Tastes { Avoid = ["thrillers"] }, null),
        ["avoid an author"] = ("avoid", s => s.Title(1, "Shining", "King, Stephen", "Fantastique"), new Tastes { Avoid = ["Stephen King"] }, null),
        ["avoid a genre, everyday word"] = ("avoid", s => s.Title(1, "Dracula", "Stoker, Bram", "Fantastique"), new Tastes { Avoid = ["horreur"] }, null),
        ["avoid a word of the title"] = ("avoid", s => s.Title(1, "La Guerre des boutons", "Pergaud, Louis", "Jeunesse"), new Tastes { Avoid = ["guerre"] }, null),
        ["already had"] = ("alreadyHad", s => s.Title(1, "Germinal", "Zola, Émile", "Roman"), new Tastes(), i => i with { AlreadyHad = new HashSet<long> { 1 } }),
        ["a liked title, read already"] = ("likedTitle", s => s.Title(1, "L'Étranger", "Camus, Albert", "Roman"), new Tastes { LikedTitles = ["l'etranger"] }, null),
        ["removed by the librarian"] = ("removed", s => s.Title(1, "Germinal", "Zola, Émile", "Roman"), new Tastes(), i => i with { Removed = new HashSet<long> { 1 } }),
        ["on loan"] = ("notOnShelf", s => s.Title(1, "Germinal", "Zola, Émile", "Roman", status: CopyStatus.OnLoan), new Tastes(), null),
        ["held by a hold"] = ("notOnShelf", s => s.Title(1, "Germinal", "Zola, Émile", "Roman", status: CopyStatus.Held), new Tastes(), null),
        ["in another request's proposal"] = ("reservedElsewhere", s => s.Title(1, "Germinal", "Zola, Émile", "Roman", reservedFor: 99), new Tastes(), null),
    };

    public static TheoryData<string> Filters => new(FilterTable.Keys);

    [Theory]
    [MemberData(nameof(Filters))]
    public void Hard_filters_set_a_title_aside_and_count_it(string filter)
    {
        var (reason, arrange, tastes, adjust) = FilterTable[filter];
        var shelf = arrange(new Shelf()).Title(2, "La Peste", "Camus, Albert", "Roman|Jeunesse|Policier", Audience.Youth, DocumentFormat.LargePrint);
        var input = shelf.For(tastes with { Count = 3 });
        var bundle = BundleProposer.Propose(adjust?.Invoke(input) ?? input);

        Assert.DoesNotContain(bundle.Items, i => i.TitleId == 1);
        Assert.Equal(1, bundle.Excluded[reason]);
        Assert.Contains(bundle.Items, i => i.TitleId == 2);
    }

    [Fact]
    public void A_copy_this_request_already_reserves_is_still_its_own()
    {
        var bundle = BundleProposer.Propose(new Shelf().Title(1, "Germinal", "Zola, Émile", "Roman", reservedFor: 7).For(new Tastes()));
        Assert.Equal(Shelf.CopyOf(1, 0), Assert.Single(bundle.Items).CopyId);
    }

    // What each signal is worth, title 2 being scored against the tastes (tie-break left out).
    static readonly Dictionary<string, (Tastes Tastes, string[] Signals)> ScoreTable = new()
    {
        ["stated genre, by its everyday name"] = (new Tastes { Genres = ["polars"] }, ["genre:Policier:3", "local:Centrale:2"]),
        ["two stated genres"] = (new Tastes { Genres = ["policier", "nordique"] }, ["genre:Policier:3", "genre:Polar nordique:3", "local:Centrale:2"]),
        ["liked author, typed the reader's way"] = (new Tastes { LikedAuthors = ["fred vargas"] }, ["author:Fred Vargas:6", "local:Centrale:2"]),
        ["author of a liked title"] = (new Tastes { LikedTitles = ["Pars vite et reviens tard"] }, ["sameAuthor:Pars vite et reviens tard:4", "local:Centrale:2"]),
        ["read-alike of a liked author"] = (new Tastes { LikedAuthors = ["Indridason"] }, ["readAlike:Arnaldur Indridason (Policier, Polar nordique):2", "local:Centrale:2"]),
        ["free-text subject found in the title"] = (new Tastes { Genres = ["chats"] }, ["keyword:chats:1", "local:Centrale:2"]),
        ["no tastes: only the shelf"] = (new Tastes(), ["local:Centrale:2"]),
    };

    public static TheoryData<string> Scores => new(ScoreTable.Keys);

    [Theory]
    [MemberData(nameof(Scores))]
    public void Each_taste_gives_its_stated_points(string why)
    {
        var (tastes, expected) = ScoreTable[why];
        var shelf = new Shelf()
            .Title(1, "Pars vite et reviens tard", "Vargas, Fred", "Policier|Roman", branch: Shelf.There)
            .Title(2, "L'Homme à l'envers, ou les chats de Paris", "Vargas, Fred", "Policier|Polar nordique|Roman")
            .Title(3, "La Cité des jarres", "Indridason, Arnaldur", "Policier|Polar nordique", status: CopyStatus.OnLoan);
        var item = BundleProposer.Rank(shelf.For(tastes), t => t.Id == 2, 1).Single();

        Assert.True(expected.SequenceEqual(item.Signals.Where(s => s.Kind != "tieBreak").Select(s => $"{s.Kind}:{s.Label}:{s.Points}")),
            $"{why}: {string.Join(" ", item.Signals.Select(s => $"{s.Kind}:{s.Label}:{s.Points}"))}");
        Assert.Equal(item.Signals.Sum(s => s.Points), item.Score, 2);
    }

    [Fact]
    public void A_later_volume_of_a_liked_series_scores_as_series_and_the_liked_volume_is_set_aside()
    {
        var shelf = new Shelf()
            .Title(1, "Millénium. 1, Les Hommes qui n'aimaient pas les femmes", "Larsson, Stieg", "Polar nordique")
            .Title(2, "Millénium. 4, Ce qui ne me tue pas", "Lagercrantz, David", "Polar nordique");
        var bundle = BundleProposer.Propose(shelf.For(new Tastes { LikedTitles = ["Les hommes qui n'aimaient pas les femmes"] }));

        var item = Assert.Single(bundle.Items);
        Assert.Equal(2, item.TitleId);
        Assert.Contains(item.Signals, s => s is { Kind: "series", Points: BundleProposer.SeriesPoints });
        Assert.Contains("Même série que « Millénium. 1, Les Hommes qui n'aimaient pas les femmes »", item.Reasons);
    }

    [Fact]
    public void No_more_than_two_items_by_one_author_even_when_that_author_is_all_the_reader_likes()
    {
        var shelf = new Shelf();
        for (var i = 1; i <= 6; i++) shelf.Title(i, $"Commissaire Adamsberg {i}", "Vargas, Fred", "Policier");
        shelf.Title(10, "Le Chien des Baskerville", "Doyle, Arthur Conan", "Policier", branch: Shelf.There)
            .Title(11, "Maigret tend un piège", "Simenon, Georges", "Policier", branch: Shelf.There)
            .Title(12, "Meurtres pour rédemption", "Giebel, Karine", "Thriller", branch: Shelf.There);
        var bundle = BundleProposer.Propose(shelf.For(new Tastes { Count = 5, LikedAuthors = ["Vargas"], Genres = ["policier"] }));

        Assert.Equal(5, bundle.Items.Count);
        Assert.Equal(2, bundle.Items.Count(i => i.TitleId <= 6));
        Assert.Contains(bundle.Items, i => i.TitleId == 12); // fills with the remaining titles rather than a third Vargas
    }

    [Fact]
    public void No_more_than_two_volumes_of_one_series_even_by_different_authors()
    {
        var shelf = new Shelf();
        for (var i = 1; i <= 5; i++) shelf.Title(i, $"Les Aventures de Blake. {i}, Épisode", $"Auteur{i}, Dessinateur", "Bande dessinée");
        shelf.Title(10, "Blacksad. 1, Quelque part entre les ombres", "Díaz Canales, Juan", "Bande dessinée", branch: Shelf.There);
        var bundle = BundleProposer.Propose(shelf.For(new Tastes { Count = 3, Genres = ["BD"] }));

        Assert.Equal(2, bundle.Items.Count(i => i.TitleId <= 5));
        Assert.Contains(bundle.Items, i => i.TitleId == 10);
    }

    [Fact]
    public void Genres_are_spread_as_the_reader_asked_even_when_one_genre_has_the_nearer_copies()
    {
        var shelf = new Shelf();
        for (var i = 1; i <= 6; i++) shelf.Title(i, $"Polar {i}", $"Auteur{i}, Polar", "Policier");
        for (var i = 11; i <= 16; i++) shelf.Title(i, $"Fantasy {i}", $"Auteur{i}, Fantasy", "Fantasy", branch: Shelf.There);
        var bundle = BundleProposer.Propose(shelf.For(new Tastes { Count = 4, Genres = ["Policier", "Fantasy"] }));

        Assert.Equal(4, bundle.Items.Count);
        Assert.InRange(bundle.Items.Count(i => i.TitleId < 10), 1, 3);
        var spread = bundle.Items.First(i => i.TitleId > 10);
        Assert.Contains(spread.Signals, s => s is { Kind: "coverage", Label: "Fantasy", Points: BundleProposer.CoveragePoints });
        Assert.Contains("Varie la sélection : premier titre pour « Fantasy »", spread.Reasons);
        Assert.DoesNotContain(bundle.Items[0].Signals, s => s.Kind == "coverage"); // nothing to vary yet
    }

    [Fact]
    public void Copies_on_the_shelf_of_the_pickup_branch_come_first_and_a_title_offers_its_nearest_copy()
    {
        var shelf = new Shelf()
            .Title(1, "Loin", "Auteur, Un", "Roman", branch: Shelf.There)
            .Title(2, "Près", "Auteur, Deux", "Roman", branch: Shelf.There).Copy(2, Shelf.Here);
        var bundle = BundleProposer.Propose(shelf.For(new Tastes { Count = 1, Genres = ["roman"] }));

        var item = Assert.Single(bundle.Items);
        Assert.Equal(2, item.TitleId);
        Assert.True(item.Local);
        Assert.NotEqual(Shelf.CopyOf(2, 0), item.CopyId); // the copy across town stays there
        Assert.Contains("En rayon à Centrale, d'où part le point de retrait", item.Reasons);
    }

    [Fact]
    public void Titles_that_match_the_tastes_come_before_nearer_ones_that_do_not_which_are_marked_as_fillers()
    {
        var shelf = new Shelf()
            .Title(1, "Le Seigneur des anneaux", "Tolkien, J. R. R.", "Fantasy", branch: Shelf.There)
            .Title(2, "Recettes de grand-mère", "Mathiot, Ginette", "Cuisine");
        var bundle = BundleProposer.Propose(shelf.For(new Tastes { Count = 2, Genres = ["fantasy"] }));

        Assert.Equal([1L, 2L], bundle.Items.Select(i => i.TitleId));
        Assert.Contains("Complément : plus aucun document disponible ne correspondait aux goûts indiqués", bundle.Items[1].Reasons);
        Assert.Contains("En rayon à Les Prés : viendra par la navette", bundle.Items[0].Reasons);
    }

    [Fact]
    public void When_copies_are_scarce_a_copy_reserved_by_another_open_proposal_is_never_offered_twice()
    {
        // Request 7 and request 8 both love Vargas; the only copy went to request 8's proposal first.
        var shelf = new Shelf()
            .Title(1, "L'Armée furieuse", "Vargas, Fred", "Policier", reservedFor: 8)
            .Title(2, "Sous les vents de Neptune", "Vargas, Fred", "Policier", reservedFor: 7)
            .Title(3, "Temps glaciaires", "Vargas, Fred", "Policier").Copy(3, Shelf.There, reservedFor: 8);
        var bundle = BundleProposer.Propose(shelf.For(new Tastes { Count = 3, LikedAuthors = ["Vargas"] }));

        Assert.Equal([2L, 3L], bundle.Items.Select(i => i.TitleId).Order());
        Assert.DoesNotContain(bundle.Items, i => i.CopyId == Shelf.CopyOf(1, 0));
        Assert.Equal(1, bundle.Excluded["reservedElsewhere"]);
        Assert.Equal(Shelf.CopyOf(3, 0), bundle.Items.Single(i => i.TitleId == 3).CopyId);
        Assert.Equal(1, bundle.Shortfall);
    }

    [Fact]
    public void The_same_seed_gives_the_same_bundle_whatever_the_order_of_the_catalogue_and_another_seed_may_not()
    {
        var shelf = new Shelf().Padding(40);
        var input = shelf.For(new Tastes { Count = 5 }, seed: 3);
        var once = BundleProposer.Propose(input).Items.Select(i => i.CopyId).ToList();
        var reversed = input with { Titles = input.Titles.Reverse().ToList(), Copies = input.Copies.Reverse().ToList() };

        Assert.Equal(once, BundleProposer.Propose(input).Items.Select(i => i.CopyId));
        Assert.Equal(once, BundleProposer.Propose(reversed).Items.Select(i => i.CopyId));
        var others = Enumerable.Range(4, 5).Select(seed => BundleProposer.Propose(input with { Seed = seed }).Items.Select(i => i.CopyId).ToList());
        Assert.Contains(others, o => !o.SequenceEqual(once));
    }

    [Fact]
    public void A_new_proposal_prefers_titles_not_shown_before()
    {
        var shelf = new Shelf().Padding(10);
        var first = BundleProposer.Propose(shelf.For(new Tastes { Count = 3 }));
        var shown = first.Items.Select(i => i.TitleId).ToHashSet();
        var second = BundleProposer.Propose(shelf.For(new Tastes { Count = 3 }, seed: 2) with { Shown = shown });

        Assert.Empty(second.Items.Select(i => i.TitleId).Intersect(shown));
    }

    [Fact]
    public void Pinned_copies_stay_first_whatever_the_filters_and_a_pinned_copy_gone_meanwhile_is_reported()
    {
        var shelf = new Shelf()
            .Title(1, "Le Grand Meaulnes", "Alain-Fournier", "Roman|Classique", format: DocumentFormat.Audiobook)
            .Title(2, "Vendredi ou la Vie sauvage", "Tournier, Michel", "Roman", status: CopyStatus.Held)
            .Title(3, "Bel-Ami", "Maupassant, Guy de", "Roman|Classique");
        var input = shelf.For(new Tastes { Count = 2, Formats = [DocumentFormat.Book] }) with { Pinned = [Shelf.CopyOf(1, 0), Shelf.CopyOf(2, 0)] };
        var bundle = BundleProposer.Propose(input);

        Assert.Equal([1L, 3L], bundle.Items.Select(i => i.TitleId));
        Assert.True(bundle.Items[0].Pinned);
        Assert.Contains("Gardé par la bibliothécaire", bundle.Items[0].Reasons);
        Assert.Equal([Shelf.CopyOf(2, 0)], bundle.DroppedPins);
    }

    [Fact]
    public void Every_item_is_explained_in_French_from_its_signals()
    {
        var shelf = new Shelf().Title(1, "L'Homme aux cercles bleus", "Vargas, Fred", "Policier|Roman", format: DocumentFormat.LargePrint);
        var tastes = new Tastes { Count = 1, Audience = Audience.Adult, Formats = [DocumentFormat.LargePrint], Languages = ["fr"], Genres = ["polar"], LikedAuthors = ["Vargas"] };
        var item = Assert.Single(BundleProposer.Propose(shelf.For(tastes)).Items);

        Assert.Equal(
        [
            "Genre demandé : Policier",
            "Auteur aimé : Fred Vargas",
            "Public adulte, gros caractères, en français : comme demandé",
            "En rayon à Centrale, d'où part le point de retrait",
        ], item.Reasons);
        Assert.Equal(BundleProposer.GenrePoints + BundleProposer.LikedAuthorPoints + BundleProposer.LocalPoints, Math.Floor(item.Score));
    }

    [Fact]
    public void Words_the_builder_could_not_match_are_reported_for_the_librarian()
    {
        var shelf = new Shelf().Title(1, "Germinal", "Zola, Émile", "Roman");
        var bundle = BundleProposer.Propose(shelf.For(new Tastes
        {
            Genres = ["roman", "pas trop violent"],
            LikedAuthors = ["Zola", "Nobody Known"],
            LikedTitles = ["Titre inconnu"],
            Avoid = ["gore"],
        }));

        Assert.Equal(["pas trop violent", "Nobody Known", "Titre inconnu", "gore"], bundle.Unmatched);
    }

    [Fact]
    public void Broad_genres_alone_do_not_make_a_read_alike()
    {
        // "Roman" is on every title here (a broad genre): sharing it, or it plus "Classique", is not enough.
        var shelf = new Shelf().Padding(20, "Roman|Classique")
            .Title(1, "Les Misérables", "Hugo, Victor", "Roman|Classique|Roman historique", status: CopyStatus.OnLoan)
            .Title(2, "Les Trois Mousquetaires", "Dumas, Alexandre", "Roman|Classique|Roman historique")
            .Title(3, "Madame Bovary", "Flaubert, Gustave", "Roman|Classique");
        var ranked = BundleProposer.Rank(shelf.For(new Tastes { LikedAuthors = ["Victor Hugo"] }), t => t.Id is 2 or 3, 2);

        Assert.Contains(ranked.Single(i => i.TitleId == 2).Signals, s => s.Kind == "readAlike");
        Assert.DoesNotContain(ranked.Single(i => i.TitleId == 3).Signals, s => s.Kind == "readAlike");
    }
}
