using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.SurpriseSelections;

namespace ClickCollect.Benchmarks;

/// <summary>
/// The bundle builder and the bare baselines it is measured against, all on the same input and under
/// the same hard filters (audience, language, available copy, not already had): a random draw, the
/// most borrowed titles, and a plain sort by stated genres matched.
/// </summary>
internal static class Methods
{
    public delegate IReadOnlyList<long> Method(BundleInput input, Popularity popularity);

    public sealed class Popularity(Dictionary<long, int> loans)
    {
        public int Of(long titleId) => loans.GetValueOrDefault(titleId);
    }

    public static readonly (string Name, Method Run)[] All =
    [
        ("bundle builder", (input, _) => BundleProposer.Propose(input).Items.Select(i => i.TitleId).ToList()),
        ("plain genre sort", (input, _) => PlainSort(input)),
        ("most borrowed", MostBorrowed),
        ("random available", RandomAvailable),
    ];

    /// <summary>The candidate titles every method may choose from: the hard filters, nothing else.</summary>
    public static List<CandidateTitle> Eligible(BundleInput input)
    {
        var available = new HashSet<long>();
        foreach (var copy in input.Copies)
            if (BundleProposer.Available(copy, input.RequestId)) available.Add(copy.TitleId);
        var t = input.Tastes;
        return input.Titles.Where(title => available.Contains(title.Id) && !input.AlreadyHad.Contains(title.Id)
            && (t.Audience is null || title.Audience == t.Audience)
            && (t.Formats.Count == 0 || t.Formats.Contains(title.Format))
            && (t.Languages.Count == 0 || t.Languages.Contains(title.Language))).ToList();
    }

    /// <summary>The bare baseline: count the stated genres each title has (exact names), sort, take the first.</summary>
    public static IReadOnlyList<long> PlainSort(BundleInput input)
    {
        var wanted = input.Tastes.Genres.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Eligible(input)
            .Select(t => (t.Id, Score: CatalogueText.SplitGenres(t.Genres).Count(wanted.Contains)))
            .OrderByDescending(t => t.Score).ThenBy(t => t.Id)
            .Take(input.Tastes.Count).Select(t => t.Id).ToList();
    }

    static IReadOnlyList<long> MostBorrowed(BundleInput input, Popularity popularity) =>
        Eligible(input).OrderByDescending(t => popularity.Of(t.Id)).ThenBy(t => t.Id).Take(input.Tastes.Count).Select(t => t.Id).ToList();

    static IReadOnlyList<long> RandomAvailable(BundleInput input, Popularity _)
    {
        var random = new Random(input.Seed);
        return Eligible(input).OrderBy(_ => random.Next()).Take(input.Tastes.Count).Select(t => t.Id).ToList();
    }
}
