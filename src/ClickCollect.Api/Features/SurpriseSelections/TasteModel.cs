namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>
/// The reader's words matched once against the catalogue the builder was given: which vocabulary
/// genres each stated genre means, which catalogue authors the liked names are, which records the
/// liked titles are, what to avoid, and the read-alike profiles. The catalogue's own strings are
/// analysed in TasteModel.Catalogue.cs.
/// </summary>
internal sealed partial class TasteModel
{
    public const int BroadGenrePercent = 15;
    public const int BroadGenreMinimumTitles = 20;

    readonly bool[] broad;
    long[] termsByGenre = [];

    public sealed record GenreTerm(string Text, int[] GenreIds);
    public sealed record Profile(string Label, int[] GenreIds);

    readonly HashSet<Catalogue.DocumentFormat> formats;
    readonly HashSet<string> languages;

    /// <summary>The given titles of the audience, formats and languages asked for.</summary>
    public IReadOnlyList<CandidateTitle> Scope { get; }

    /// <summary>Why a title is not of the shape asked for ("audience", "format", "language"), or null.</summary>
    public string? Shape(CandidateTitle title) =>
        Tastes.Audience is { } audience && title.Audience != audience ? "audience"
        : formats.Count > 0 && !formats.Contains(title.Format) ? "format"
        : languages.Count > 0 && !languages.Contains(title.Language) ? "language"
        : null;

    Tastes Tastes { get; }

    public IReadOnlyList<GenreTerm> GenreTerms { get; }
    public IReadOnlyList<string> KeywordTerms { get; }
    public IReadOnlyList<string> Unmatched { get; }
    /// <summary>Folded catalogue names of the liked authors → how the reader sees them ("Fred Vargas").</summary>
    public IReadOnlyDictionary<string, string> LikedAuthors { get; }
    /// <summary>The records of the liked titles (the reader has read them).</summary>
    public IReadOnlyDictionary<long, string> LikedTitles { get; }
    /// <summary>Folded author of a liked title → that title.</summary>
    public IReadOnlyDictionary<string, string> LikedTitleAuthors { get; }
    /// <summary>Series key of a liked title → that title.</summary>
    public IReadOnlyDictionary<string, string> LikedSeries { get; }
    public IReadOnlyList<Profile> Profiles { get; }

    readonly int[][] avoidGenres;
    readonly string[][] avoidNames;
    readonly string[] avoidPhrases;

    public TasteModel(BundleInput input)
    {
        var tastes = Tastes = input.Tastes;
        // The titles of the audience, formats and languages asked for: what the reader could get, and
        // all the words are matched against (with the anchors the store found for liked authors and
        // titles). The rest is never analysed: with 100,000 copies that is most of the cost saved.
        formats = tastes.Formats.ToHashSet();
        languages = tastes.Languages.ToHashSet(StringComparer.OrdinalIgnoreCase);
        Scope = input.Titles.Where(t => Shape(t) is null).ToList();
        IEnumerable<CandidateTitle> all = Scope.Concat(input.Anchors);

        foreach (var title in all) Genres(title.Genres);
        broad = BroadGenres(Scope);

        var unmatched = new List<string>();
        var genreTerms = new List<GenreTerm>();
        var keywords = new List<string>();
        foreach (var term in tastes.Genres.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var ids = GenresMeant(term);
            if (ids.Length > 0) genreTerms.Add(new(term.Trim(), ids));
            else if (all.Any(t => TasteText.ContainsPhrase(TitleKey(t), TasteText.Key(term)))) keywords.Add(term.Trim());
            else unmatched.Add(term.Trim());
        }
        GenreTerms = genreTerms;
        KeywordTerms = keywords;
        termsByGenre = new long[genreNames.Count];
        for (var i = 0; i < genreTerms.Count; i++)
            foreach (var id in genreTerms[i].GenreIds) termsByGenre[id] |= 1L << i;

        var liked = new Dictionary<string, string>(StringComparer.Ordinal);
        var byLikedAuthors = new List<CandidateTitle>();
        foreach (var term in tastes.LikedAuthors.Where(t => !string.IsNullOrWhiteSpace(t)))
        {
            var tokens = TasteText.Tokens(term);
            var found = false;
            foreach (var title in all)
            {
                var authors = Authors(title.Authors);
                if (tokens.Length == 0 || !authors.MayContain(tokens)) continue;
                for (var i = 0; i < authors.Names.Length; i++)
                {
                    if (!TasteText.NameMatches(tokens, authors.Tokens[i])) continue;
                    liked.TryAdd(authors.Keys[i], TasteText.DisplayAuthor(authors.Names[i]));
                    byLikedAuthors.Add(title);
                    found = true;
                }
            }
            if (!found) unmatched.Add(term.Trim());
        }
        LikedAuthors = liked;

        var likedTitles = new Dictionary<long, string>();
        var likedTitleAuthors = new Dictionary<string, string>(StringComparer.Ordinal);
        var likedSeries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var term in tastes.LikedTitles.Where(t => !string.IsNullOrWhiteSpace(t)))
        {
            var key = TasteText.Key(term);
            var found = false;
            foreach (var title in all.Where(t => TasteText.ContainsPhrase(TitleKey(t), key)))
            {
                found = true;
                likedTitles.TryAdd(title.Id, title.Title);
                foreach (var author in Authors(title.Authors).Keys) likedTitleAuthors.TryAdd(author, title.Title);
                if (TasteText.SeriesKey(title.Title) is { } series) likedSeries.TryAdd(series, title.Title);
            }
            if (!found) unmatched.Add(term.Trim());
        }
        LikedTitles = likedTitles;
        LikedTitleAuthors = likedTitleAuthors;
        LikedSeries = likedSeries;

        // Read-alike profiles: the genres of each record by a liked author or with a liked title,
        // one profile per distinct set of genres (an author's five "Policier|Roman" novels are one).
        var profiles = new List<Profile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var title in byLikedAuthors.Concat(all.Where(t => likedTitles.ContainsKey(t.Id))).DistinctBy(t => t.Id).OrderBy(t => t.Id))
        {
            var authors = Authors(title.Authors);
            string? label = likedTitles.ContainsKey(title.Id) ? $"« {title.Title} »"
                : authors.Keys.FirstOrDefault(liked.ContainsKey) is { } a ? liked[a] : null;
            var genres = Genres(title.Genres);
            if (label is null || genres.Ids.Length == 0 || !seen.Add(genres.Key)) continue;
            profiles.Add(new(label, genres.Ids));
        }
        Profiles = profiles;

        var avoid = tastes.Avoid.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).ToList();
        avoidGenres = avoid.Select(GenresMeant).ToArray();
        avoidNames = avoid.Select(TasteText.Tokens).ToArray();
        avoidPhrases = avoid.Select(t => TasteText.Key(t)).ToArray();
        for (var i = 0; i < avoid.Count; i++)
        {
            var term = i;
            if (avoidGenres[term].Length > 0) continue;
            var hit = all.Any(t => AuthorAvoided(t, term) || TasteText.ContainsPhrase(TitleKey(t), avoidPhrases[term]));
            if (!hit) unmatched.Add(avoid[term]);
        }
        foreach (var info in genreCache.Values)
            info.Avoided = avoidGenres.Any(ids => ids.Length > 0 && ids.Any(info.Ids.Contains));
        Unmatched = unmatched;
    }

    public string GenreName(int id) => genreNames[id];

    /// <summary>Bit i set: stated genre term i means this vocabulary genre.</summary>
    public long TermsOf(int id) => id < termsByGenre.Length ? termsByGenre[id] : 0;


    /// <summary>The first avoided term this title hits (genre, author or words of its title), or null.</summary>
    public bool Avoided(CandidateTitle title)
    {
        if (avoidPhrases.Length == 0) return false;
        if (Genres(title.Genres).Avoided) return true;
        for (var i = 0; i < avoidPhrases.Length; i++)
        {
            if (AuthorAvoided(title, i)) return true;
            if (avoidGenres[i].Length == 0 && avoidPhrases[i].Length >= 3 && TasteText.ContainsPhrase(TitleKey(title), avoidPhrases[i])) return true;
        }
        return false;
    }

    bool AuthorAvoided(CandidateTitle title, int term)
    {
        if (avoidNames[term].Length == 0) return false;
        var authors = Authors(title.Authors);
        if (!authors.MayContain(avoidNames[term])) return false;
        foreach (var tokens in authors.Tokens)
            if (TasteText.NameMatches(avoidNames[term], tokens)) return true;
        return false;
    }

    /// <summary>
    /// The read-alike this set of genres is, as a signal label ("Fred Vargas (Policier)"), or null: a
    /// specific genre and at least two genres in common with a profile (or all of a one-genre profile).
    /// </summary>
    public string? ReadAlike(GenreInfo genres)
    {
        if (genres.ReadAlikeKnown) return genres.ReadAlike;
        for (var p = 0; p < Profiles.Count && genres.ReadAlike is null; p++)
        {
            var profile = Profiles[p].GenreIds;
            int shared = 0, specific = 0;
            foreach (var id in genres.Ids)
            {
                if (Array.BinarySearch(profile, id) < 0) continue;
                shared++;
                if (!broad[id]) specific++;
            }
            if (specific >= 1 && shared >= Math.Min(2, profile.Length))
                genres.ReadAlike = $"{Profiles[p].Label} ({TasteText.Join(genres.Ids.Where(id => Array.BinarySearch(profile, id) >= 0).Select(GenreName))})";
        }
        genres.ReadAlikeKnown = true;
        return genres.ReadAlike;
    }

    /// <summary>Vocabulary genres a reader's word means: the same key, a known synonym, or every word of it inside the genre's name.</summary>
    int[] GenresMeant(string term)
    {
        var key = TasteText.Key(term);
        if (key.Length == 0) return [];
        var wanted = new HashSet<string>(StringComparer.Ordinal) { key };
        if (TasteText.Synonyms.TryGetValue(key, out var synonyms)) wanted.UnionWith(synonyms);
        var ids = new SortedSet<int>();
        foreach (var (genreKey, id) in genreIds)
            if (wanted.Contains(genreKey)) ids.Add(id);
        // Only when no genre has that name: "nordique" finds "Polar nordique", but "roman" stays "Roman",
        // not every "Roman graphique".
        if (ids.Count == 0)
            foreach (var (genreKey, id) in genreIds)
                if (TasteText.ContainsPhrase(genreKey, key)) ids.Add(id);
        return [.. ids];
    }

    bool[] BroadGenres(IReadOnlyList<CandidateTitle> titles)
    {
        var counts = new int[genreNames.Count];
        var distinct = new HashSet<long>();
        foreach (var title in titles)
        {
            if (!distinct.Add(title.Id)) continue;
            foreach (var id in Genres(title.Genres).Ids) counts[id]++;
        }
        var result = new bool[genreNames.Count];
        if (distinct.Count < BroadGenreMinimumTitles) return result;
        for (var id = 0; id < counts.Length; id++) result[id] = counts[id] * 100 > BroadGenrePercent * distinct.Count;
        return result;
    }
}
