using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.SurpriseSelections;

namespace ClickCollect.Benchmarks;

/// <summary>A generated reader: a hidden taste profile, two years of loans drawn from it, split in time.</summary>
internal sealed record Reader(int Id, string Language, Audience Audience, IReadOnlyList<string> FavouriteGenres, string? FavouriteAuthor,
    IReadOnlyList<long> Training, IReadOnlyList<long> Holdout, Tastes Stated);

/// <summary>
/// Readers with a hidden taste profile (a language, an audience, two favourite genres, often a
/// favourite author) borrow <see cref="LoansPerReader"/> titles over two years, each drawn with
/// weight base + genre affinity + author affinity, times the title's popularity. The first 70 % of
/// their loans in time are the past; the rest is the holdout the bundle should anticipate. What the
/// reader tells the librarian is read off the past only: their two most borrowed genres, the author
/// they borrowed at least twice, and (consent given) the titles already had.
/// </summary>
internal static class Readers
{
    public const int LoansPerReader = 24;
    public const double TrainingShare = 0.7;
    const int BroadGenrePercent = 30;

    public static List<Reader> Generate(BenchCatalogue catalogue, int count, int seed)
    {
        var random = new Random(seed);
        var universes = catalogue.Titles.GroupBy(t => (t.Language, t.Audience))
            .Where(g => g.Key.Language is "fr" or "en" && g.Count() >= 200).ToDictionary(g => g.Key, g => g.ToList());
        var keys = universes.Keys.OrderBy(k => k.Language).ThenBy(k => k.Audience).ToList();
        var readers = new List<Reader>();
        for (var id = 1; id <= count; id++)
        {
            var key = keys[random.Next(keys.Count)];
            var universe = universes[key];
            var genres = universe.ToDictionary(t => t.Id, t => CatalogueText.SplitGenres(t.Genres));
            var counts = genres.Values.SelectMany(g => g).GroupBy(g => g).ToDictionary(g => g.Key, g => g.Count());
            var specific = counts.Where(c => c.Value * 100 <= BroadGenrePercent * universe.Count && c.Value >= 15)
                .OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
            var favourites = new List<string>();
            while (favourites.Count < 2 && favourites.Count < specific.Count)
            {
                var g = Weighted(specific, c => Math.Sqrt(c.Value), random).Key;
                if (!favourites.Contains(g)) favourites.Add(g);
            }
            string? author = null;
            if (random.NextDouble() < 0.6)
            {
                var prolific = universe.Where(t => t.Authors.Length > 0 && genres[t.Id].Any(favourites.Contains))
                    .GroupBy(t => t.Authors).Where(g => g.Count() >= 3).Select(g => g.Key).OrderBy(a => a, StringComparer.Ordinal).ToList();
                if (prolific.Count > 0) author = prolific[random.Next(prolific.Count)];
            }

            var loans = new List<long>();
            var pool = universe.ToList();
            double Weight(CandidateTitle t) => (0.05 + 3 * genres[t.Id].Count(favourites.Contains) + (t.Authors == author ? 8 : 0))
                * catalogue.Popularity[t.Id];
            while (loans.Count < LoansPerReader && pool.Count > 0)
            {
                var pick = Weighted(pool, Weight, random);
                loans.Add(pick.Id);
                pool.Remove(pick);
            }
            var split = (int)Math.Round(loans.Count * TrainingShare);
            var training = loans.Take(split).ToList();
            readers.Add(new Reader(id, key.Language, key.Audience, favourites, author, training, loans.Skip(split).ToList(),
                Stated(training, genres, counts, universe, key)));
        }
        return readers;
    }

    // What the reader would say at the desk, from their past loans only.
    static Tastes Stated(List<long> training, Dictionary<long, string[]> genres, Dictionary<string, int> counts, List<CandidateTitle> universe,
        (string Language, Audience Audience) key)
    {
        var specific = training.SelectMany(id => genres[id]).Where(g => counts[g] * 100 <= BroadGenrePercent * universe.Count)
            .GroupBy(g => g).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(2).Select(g => g.Key).ToList();
        var byId = universe.ToDictionary(t => t.Id);
        var author = training.Select(id => byId[id].Authors).Where(a => a.Length > 0).GroupBy(a => a)
            .Where(g => g.Count() >= 2).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();
        return new Tastes
        {
            Count = 10,
            Audience = key.Audience,
            Languages = [key.Language],
            Genres = specific,
            LikedAuthors = author is null ? [] : [CatalogueText.SplitAuthors(author)[0]],
        };
    }

    static T Weighted<T>(IReadOnlyList<T> items, Func<T, double> weight, Random random)
    {
        var total = 0.0;
        foreach (var item in items) total += weight(item);
        var pick = random.NextDouble() * total;
        foreach (var item in items)
            if ((pick -= weight(item)) <= 0) return item;
        return items[^1];
    }
}
