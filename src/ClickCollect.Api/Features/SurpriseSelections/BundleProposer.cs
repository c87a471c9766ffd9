using ClickCollect.Api.Features.Catalogue;

namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>
/// Builds a surprise selection (issue #7): pure, deterministic for a given seed, and every point of
/// every score is a <see cref="Signal"/> the librarian can read.
/// <list type="number">
/// <item>Hard filters: audience, format, language, the avoid list, what the patron already had
/// (holds now, earlier occurrences, and past loans only with consent), the liked titles themselves
/// (read already), titles the librarian removed; a copy must be on the shelf and not reserved by
/// another request's open proposal (fairness when copies are scarce).</item>
/// <item>Score, per title (points below): stated genres, free-text words, liked authors, the authors
/// and series of liked titles, read-alikes, the shelf of the pickup point's branch first, a small
/// penalty for what an earlier proposal already showed, and a seeded tie-break under half a point.</item>
/// <item>Greedy re-ranking: titles that match the tastes before the rest; at most two per author and
/// two per series; a bonus for each stated genre not yet in the bundle, a penalty for genres the
/// bundle already has (mean Jaccard similarity).</item>
/// </list>
/// </summary>
internal static class BundleProposer
{
    public const double GenrePoints = 3, KeywordPoints = 1, LikedAuthorPoints = 6, SameAuthorPoints = 4, SeriesPoints = 3,
        ReadAlikePoints = 2, LocalPoints = 2, ShownPoints = -3, TieBreakRange = 0.5, CoveragePoints = 2, RedundancyPoints = -2;
    public const int MaxPerAuthor = 2, MaxPerSeries = 2;

    /// <summary>Titles the greedy pass looks at, best first (widened when the caps exhaust it).</summary>
    static int PoolSize(int count) => Math.Max(60, count * 25);

    public static Bundle Propose(BundleInput input)
    {
        var model = new TasteModel(input);
        var excluded = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var eligible = Eligible(input, model, excluded, where: null);
        var count = Math.Clamp(input.Tastes.Count, 1, 10);

        var chosen = new List<Scored>();
        var dropped = new List<long>();
        var copies = input.Copies.ToDictionary(c => c.Id);
        var titles = input.Titles.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.First());
        foreach (var copyId in input.Pinned.Distinct())
        {
            if (copies.GetValueOrDefault(copyId) is not { } copy || !Available(copy, input.RequestId)
                || titles.GetValueOrDefault(copy.TitleId) is not { } title || chosen.Any(c => c.Title.Id == title.Id))
            {
                dropped.Add(copyId);
                continue;
            }
            var pinned = Score(title, copy, input, model);
            pinned.Signals.Add(new("pinned", "", 0));
            chosen.Add(pinned);
        }

        var chosenTitles = chosen.Select(c => c.Title.Id).ToHashSet();
        var ordered = eligible.Where(s => !chosenTitles.Contains(s.Title.Id)).OrderByDescending(s => s.Matched)
            .ThenByDescending(s => s.Score).ThenBy(s => s.Title.Id).ToList();
        var pool = ordered.Take(PoolSize(count)).ToList();
        var authors = new Dictionary<string, int>(StringComparer.Ordinal);
        var series = new Dictionary<string, int>(StringComparer.Ordinal);
        var covered = 0L;
        foreach (var item in chosen) Count(item, model, authors, series, ref covered);

        while (chosen.Count < count)
        {
            Scored? best = null;
            double bestScore = double.MinValue, bestCoverage = 0, bestRedundancy = 0;
            foreach (var candidate in pool)
            {
                if (candidate.Taken || OverCap(candidate, model, authors, series)) continue;
                // Spreading only means something once the bundle has a first item, for a reader who named several genres.
                var coverage = chosen.Count == 0 || model.GenreTerms.Count < 2 ? 0 : CoveragePoints * BitCount(candidate.GenreTermsHit & ~covered);
                var redundancy = chosen.Count == 0 ? 0 : RedundancyPoints * chosen.Average(c => Jaccard(c.GenreIds, candidate.GenreIds));
                var adjusted = candidate.Score + coverage + redundancy;
                if (best is null || (candidate.Matched && !best.Matched) || (candidate.Matched == best.Matched && adjusted > bestScore))
                    (best, bestScore, bestCoverage, bestRedundancy) = (candidate, adjusted, coverage, redundancy);
            }
            if (best is null)
            {
                if (pool.Count == ordered.Count) break;
                pool = ordered; // the caps emptied the best titles: look further down
                continue;
            }
            best.Taken = true;
            var newlyCovered = model.GenreTerms.Where((_, i) => (best.GenreTermsHit & ~covered & (1L << i)) != 0).Select(t => t.Text).ToList();
            if (bestCoverage > 0) best.Signals.Add(new("coverage", TasteText.Join(newlyCovered), bestCoverage));
            if (bestRedundancy < -0.005) best.Signals.Add(new("redundancy", "", Math.Round(bestRedundancy, 2)));
            if (input.Tastes.StatesTastes && !best.Matched) best.Signals.Add(new("filler", "", 0));
            chosen.Add(best);
            Count(best, model, authors, series, ref covered);
        }

        var items = chosen.Select(s => s.ToItem(input)).ToList();
        return new Bundle(items, model.Unmatched, excluded, count - items.Count, dropped);
    }

    /// <summary>
    /// Every title that passes the hard filters, best first, each with its score and reasons (no
    /// diversity pass): the librarian's search when swapping an item, or one title's explanation.
    /// </summary>
    public static IReadOnlyList<BundleItem> Rank(BundleInput input, Func<CandidateTitle, bool>? where, int limit)
    {
        var model = new TasteModel(input);
        return Eligible(input, model, new SortedDictionary<string, int>(StringComparer.Ordinal), where)
            .OrderByDescending(s => s.Matched).ThenByDescending(s => s.Score).ThenBy(s => s.Title.Id)
            .Take(limit).Select(s => s.ToItem(input)).ToList();
    }

    /// <summary>"every word of <paramref name="q"/> is in the title, its authors or its genres", accents and case aside.</summary>
    public static Func<CandidateTitle, bool> Words(string? q)
    {
        var words = TasteText.Tokens(q);
        return t =>
        {
            var text = " " + TasteText.Fold($"{t.Title} {t.Authors} {t.Genres}") + " ";
            return words.All(w => text.Contains(" " + w, StringComparison.Ordinal));
        };
    }

    public static bool Available(CandidateCopy copy, long requestId) =>
        copy.Status == CopyStatus.OnShelf && (copy.ReservedFor is null || copy.ReservedFor == requestId);

    static List<Scored> Eligible(BundleInput input, TasteModel model, SortedDictionary<string, int> excluded, Func<CandidateTitle, bool>? where)
    {
        var tastes = input.Tastes;
        var copiesByTitle = input.Copies.ToLookup(c => c.TitleId);
        var result = new List<Scored>();
        var seen = new HashSet<long>();
        foreach (var title in input.Titles)
        {
            if (!seen.Add(title.Id)) continue;
            var refusal =
                tastes.Audience is { } audience && title.Audience != audience ? "audience"
                : tastes.Formats.Count > 0 && !tastes.Formats.Contains(title.Format) ? "format"
                : tastes.Languages.Count > 0 && !tastes.Languages.Contains(title.Language, StringComparer.OrdinalIgnoreCase) ? "language"
                : input.AlreadyHad.Contains(title.Id) ? "alreadyHad"
                : model.LikedTitles.ContainsKey(title.Id) ? "likedTitle"
                : input.Removed.Contains(title.Id) ? "removed"
                : model.Avoided(title) ? "avoid"
                : null;
            CandidateCopy? best = null;
            if (refusal is null)
            {
                foreach (var copy in copiesByTitle[title.Id])
                {
                    if (!Available(copy, input.RequestId)) continue;
                    if (best is null || Better(copy, best, input.PickupBranchId)) best = copy;
                }
                if (best is null)
                    refusal = copiesByTitle[title.Id].Any(c => c.Status == CopyStatus.OnShelf) ? "reservedElsewhere" : "notOnShelf";
            }
            if (refusal is not null)
            {
                excluded[refusal] = excluded.GetValueOrDefault(refusal) + 1;
                continue;
            }
            if (where is not null && !where(title)) continue;
            result.Add(Score(title, best!, input, model));
        }
        return result;
    }

    // On the shelf at the pickup point's branch first, then the lowest id: the same copy every time.
    static bool Better(CandidateCopy copy, CandidateCopy than, long branch) =>
        (copy.BranchId == branch) != (than.BranchId == branch) ? copy.BranchId == branch : copy.Id < than.Id;

    static Scored Score(CandidateTitle title, CandidateCopy copy, BundleInput input, TasteModel model)
    {
        var genres = model.Genres(title.Genres);
        var authors = model.Authors(title.Authors);
        var signals = new List<Signal>();
        var hit = 0L;
        var matchedGenres = new SortedSet<int>();
        for (var i = 0; i < model.GenreTerms.Count; i++)
        {
            var any = false;
            foreach (var id in model.GenreTerms[i].GenreIds)
                if (Array.BinarySearch(genres.Ids, id) >= 0) { matchedGenres.Add(id); any = true; }
            if (any) hit |= 1L << i;
        }
        foreach (var id in matchedGenres) signals.Add(new("genre", model.GenreName(id), GenrePoints));
        if (model.KeywordTerms.Count > 0)
        {
            var text = model.TitleKey(title) + " " + TasteText.Key(title.Genres);
            foreach (var term in model.KeywordTerms)
                if (TasteText.ContainsPhrase(text, TasteText.Key(term))) signals.Add(new("keyword", term, KeywordPoints));
        }

        var likedAuthor = authors.Keys.FirstOrDefault(k => model.LikedAuthors.ContainsKey(k));
        var likedTitleAuthor = authors.Keys.FirstOrDefault(k => model.LikedTitleAuthors.ContainsKey(k));
        if (likedAuthor is not null) signals.Add(new("author", model.LikedAuthors[likedAuthor], LikedAuthorPoints));
        else if (likedTitleAuthor is not null) signals.Add(new("sameAuthor", model.LikedTitleAuthors[likedTitleAuthor], SameAuthorPoints));
        if (model.LikedSeries.Count > 0 && TasteText.SeriesKey(title.Title) is { } series && model.LikedSeries.TryGetValue(series, out var volume))
            signals.Add(new("series", volume, SeriesPoints));
        if (likedAuthor is null && likedTitleAuthor is null && model.Profiles.Count > 0 && model.ReadAlike(genres) is var p and >= 0)
        {
            var profile = model.Profiles[p];
            var shared = genres.Ids.Where(id => Array.BinarySearch(profile.GenreIds, id) >= 0).Select(model.GenreName);
            signals.Add(new("readAlike", $"{profile.Label} ({TasteText.Join(shared)})", ReadAlikePoints));
        }

        var matched = signals.Count > 0;
        var local = copy.BranchId == input.PickupBranchId;
        var branch = input.BranchNames.GetValueOrDefault(copy.BranchId, $"#{copy.BranchId}");
        signals.Add(local ? new("local", branch, LocalPoints) : new("remote", branch, 0));
        if (input.Shown.Contains(title.Id)) signals.Add(new("shown", "", ShownPoints));
        signals.Add(new("tieBreak", "", TieBreak(input.Seed, title.Id)));
        return new Scored(title, copy, local, matched, signals, genres.Ids, hit, authors.Keys);
    }

    /// <summary>[0, 0.5) from the seed and the title alone: the same seed gives the same bundle whatever the input order.</summary>
    internal static double TieBreak(int seed, long titleId)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)titleId * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return Math.Round((z >> 11) * (1.0 / (1UL << 53)) * TieBreakRange, 3);
    }

    static bool OverCap(Scored s, TasteModel model, Dictionary<string, int> authors, Dictionary<string, int> series)
    {
        foreach (var author in s.AuthorKeys)
            if (authors.GetValueOrDefault(author) >= MaxPerAuthor) return true;
        return s.Series(model) is { } key && series.GetValueOrDefault(key) >= MaxPerSeries;
    }

    static void Count(Scored s, TasteModel model, Dictionary<string, int> authors, Dictionary<string, int> series, ref long covered)
    {
        foreach (var author in s.AuthorKeys.Distinct()) authors[author] = authors.GetValueOrDefault(author) + 1;
        if (s.Series(model) is { } key) series[key] = series.GetValueOrDefault(key) + 1;
        covered |= s.GenreTermsHit;
    }

    static int BitCount(long bits) => System.Numerics.BitOperations.PopCount((ulong)bits);

    static double Jaccard(int[] a, int[] b)
    {
        if (a.Length == 0 && b.Length == 0) return 0;
        var shared = a.Count(id => Array.BinarySearch(b, id) >= 0);
        return (double)shared / (a.Length + b.Length - shared);
    }

    sealed class Scored(CandidateTitle title, CandidateCopy copy, bool local, bool matched, List<Signal> signals,
        int[] genreIds, long genreTermsHit, string[] authorKeys)
    {
        bool seriesKnown;
        string? series;

        public CandidateTitle Title => title;
        public CandidateCopy Copy => copy;
        public bool Local => local;
        public bool Matched => matched;
        public List<Signal> Signals => signals;
        public int[] GenreIds => genreIds;
        public long GenreTermsHit => genreTermsHit;
        public string[] AuthorKeys => authorKeys;
        public bool Taken { get; set; }
        /// <summary>The points before the diversity pass (fixed once scored: the ordering reads it often).</summary>
        public double Score { get; } = signals.Sum(s => s.Points);

        public string? Series(TasteModel model)
        {
            if (!seriesKnown) (series, seriesKnown) = (TasteText.SeriesKey(title.Title), true);
            return series;
        }

        public BundleItem ToItem(BundleInput input) => new(copy.Id, title.Id, local, signals.Any(s => s.Kind == "pinned"),
            Math.Round(signals.Sum(s => s.Points), 2), signals, SelectionReasons.Explain(signals, input.Tastes));
    }
}
