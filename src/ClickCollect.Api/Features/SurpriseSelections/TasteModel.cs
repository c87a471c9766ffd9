namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>
/// The reader's words matched once against the catalogue the builder was given: which vocabulary
/// genres each stated genre means, which catalogue authors the liked names are, which records the
/// liked titles are, what to avoid, and the read-alike profiles. Genre and author strings repeat
/// across thousands of titles, so each distinct string is analysed once and cached (that keeps a
/// 100,000-copy proposal within its latency budget).
/// </summary>
internal sealed class TasteModel
{
    public const int BroadGenrePercent = 15;
    public const int BroadGenreMinimumTitles = 20;

    readonly Dictionary<string, int> genreIds = new(StringComparer.Ordinal);   // genre key → id
    readonly List<string> genreNames = [];                                     // id → catalogue spelling
    readonly Dictionary<string, GenreInfo> genreCache = new(StringComparer.Ordinal);
    readonly Dictionary<string, AuthorInfo> authorCache = new(StringComparer.Ordinal);
    readonly Dictionary<long, string> titleKeys = [];
    readonly bool[] broad;

    public sealed record GenreTerm(string Text, int[] GenreIds);
    public sealed record Profile(string Label, int[] GenreIds);

    public sealed class GenreInfo
    {
        public required int[] Ids { get; init; }
        public required string Key { get; init; }
        public bool Avoided { get; set; }
        /// <summary>Index of the first read-alike profile it fits, or -1; null until asked.</summary>
        public int? ReadAlike { get; set; }
    }

    public sealed class AuthorInfo
    {
        public required string[] Names { get; init; }
        /// <summary>Folded names: the key of "at most two per author".</summary>
        public required string[] Keys { get; init; }
        public required string[][] Tokens { get; init; }
        public required string Folded { get; init; }
    }

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
        var tastes = input.Tastes;
        IEnumerable<CandidateTitle> all = input.Titles.Concat(input.Anchors);

        foreach (var title in all) Genres(title.Genres);
        broad = BroadGenres(input.Titles);

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

        var liked = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var term in tastes.LikedAuthors.Where(t => !string.IsNullOrWhiteSpace(t)))
        {
            var tokens = TasteText.Tokens(term);
            var found = false;
            foreach (var title in all)
            {
                var authors = Authors(title.Authors);
                for (var i = 0; i < authors.Keys.Length; i++)
                {
                    if (!TasteText.NameMatches(tokens, authors.Tokens[i])) continue;
                    liked.TryAdd(authors.Keys[i], TasteText.DisplayAuthor(authors.Names[i]));
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
        foreach (var title in all.OrderBy(t => t.Id))
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

    public bool IsBroad(int id) => broad[id];

    public GenreInfo Genres(string genres)
    {
        if (genreCache.TryGetValue(genres, out var info)) return info;
        var ids = new SortedSet<int>();
        foreach (var name in Catalogue.CatalogueText.SplitGenres(genres))
        {
            var key = TasteText.Key(name);
            if (key.Length == 0) continue;
            if (!genreIds.TryGetValue(key, out var id))
            {
                id = genreNames.Count;
                genreIds[key] = id;
                genreNames.Add(name);
            }
            ids.Add(id);
        }
        info = new GenreInfo { Ids = [.. ids], Key = string.Join(',', ids) };
        genreCache[genres] = info;
        return info;
    }

    public AuthorInfo Authors(string authors)
    {
        if (authorCache.TryGetValue(authors, out var info)) return info;
        var names = Catalogue.CatalogueText.SplitAuthors(authors);
        info = new AuthorInfo
        {
            Names = names,
            Keys = names.Select(TasteText.Fold).ToArray(),
            Tokens = names.Select(TasteText.Tokens).ToArray(),
            Folded = TasteText.Fold(authors),
        };
        authorCache[authors] = info;
        return info;
    }

    public string TitleKey(CandidateTitle title)
    {
        if (!titleKeys.TryGetValue(title.Id, out var key)) titleKeys[title.Id] = key = TasteText.Key(title.Title);
        return key;
    }

    public bool HasTitleTerms => KeywordTerms.Count > 0 || avoidPhrases.Length > 0;

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
        foreach (var tokens in authors.Tokens)
            if (TasteText.NameMatches(avoidNames[term], tokens)) return true;
        return false;
    }

    /// <summary>The profile this set of genres reads like: a specific genre and at least two genres in common (or all of a small profile).</summary>
    public int ReadAlike(GenreInfo genres)
    {
        if (genres.ReadAlike is { } known) return known;
        var found = -1;
        for (var p = 0; p < Profiles.Count && found < 0; p++)
        {
            var profile = Profiles[p].GenreIds;
            int shared = 0, specific = 0;
            foreach (var id in genres.Ids)
            {
                if (Array.BinarySearch(profile, id) < 0) continue;
                shared++;
                if (!broad[id]) specific++;
            }
            if (specific >= 1 && shared >= Math.Min(2, profile.Length)) found = p;
        }
        genres.ReadAlike = found;
        return found;
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
