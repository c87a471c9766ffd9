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
internal static partial class BundleProposer
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
        // Only a bundle with pins needs copies and titles by id (100,000 copies make that worth skipping).
        var copies = input.Pinned.Count == 0 ? [] : input.Copies.Where(c => input.Pinned.Contains(c.Id)).ToDictionary(c => c.Id);
        var titles = copies.Count == 0 ? [] : input.Titles.Where(t => copies.Values.Any(c => c.TitleId == t.Id))
            .GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.First());
        foreach (var copyId in input.Pinned.Distinct())
        {
            if (copies.GetValueOrDefault(copyId) is not { } copy || !Available(copy, input.RequestId)
                || titles.GetValueOrDefault(copy.TitleId) is not { } title || chosen.Any(c => c.Title.Id == title.Id))
            {
                dropped.Add(copyId);
                continue;
            }
            var pinned = Score(title, copy, input, model);
            pinned.Add(new("pinned", "", 0));
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
                var redundancy = chosen.Count == 0 ? 0 : RedundancyPoints * MeanJaccard(chosen, candidate.GenreIds);
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
            if (bestCoverage > 0) best.Add(new("coverage", TasteText.Join(newlyCovered), bestCoverage));
            if (bestRedundancy < -0.005) best.Add(new("redundancy", "", Math.Round(bestRedundancy, 2)));
            if (input.Tastes.StatesTastes && !best.Matched) best.Add(new("filler", "", 0));
            chosen.Add(best);
            Count(best, model, authors, series, ref covered);
        }

        var items = chosen.Select(s => s.ToItem(input, model)).ToList();
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
            .Take(limit).Select(s => s.ToItem(input, model)).ToList();
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

    static bool OverCap(Scored s, TasteModel model, Dictionary<string, int> authors, Dictionary<string, int> series)
    {
        foreach (var author in s.AuthorKeys)
            if (authors.GetValueOrDefault(author) >= MaxPerAuthor) return true;
        return s.Series() is { } key && series.GetValueOrDefault(key) >= MaxPerSeries;
    }

    static void Count(Scored s, TasteModel model, Dictionary<string, int> authors, Dictionary<string, int> series, ref long covered)
    {
        foreach (var author in s.AuthorKeys.Distinct()) authors[author] = authors.GetValueOrDefault(author) + 1;
        if (s.Series() is { } key) series[key] = series.GetValueOrDefault(key) + 1;
        covered |= s.GenreTermsHit;
    }

    static int BitCount(long bits) => System.Numerics.BitOperations.PopCount((ulong)bits);

    static double MeanJaccard(List<Scored> chosen, int[] genres)
    {
        var sum = 0.0;
        foreach (var c in chosen) sum += Jaccard(c.GenreIds, genres);
        return sum / chosen.Count;
    }

    static double Jaccard(int[] a, int[] b)
    {
        if (a.Length == 0 && b.Length == 0) return 0;
        var shared = 0;
        foreach (var id in a)
            if (Array.BinarySearch(b, id) >= 0) shared++;
        return (double)shared / (a.Length + b.Length - shared);
    }
}
