using ClickCollect.Api.Features.Catalogue;

namespace ClickCollect.Benchmarks;

/// <summary>Offline measures of a method's bundles, summed over readers.</summary>
internal sealed class Metrics
{
    int bundles, hits, items, hitItems, holdout, local, capped;
    double diversity;
    readonly HashSet<long> proposed = [];

    public void Add(IReadOnlyList<long> bundle, IReadOnlyList<long> heldOut, IReadOnlyDictionary<long, string[]> genres,
        IReadOnlyDictionary<long, string> authors, Func<long, bool> onShelfHere)
    {
        bundles++;
        var found = bundle.Count(heldOut.Contains);
        if (found > 0) hits++;
        hitItems += found;
        items += 10; // precision at 10: a short bundle is missed chances
        holdout += heldOut.Count;
        local += bundle.Count(onShelfHere);
        proposed.UnionWith(bundle);
        if (bundle.Select(id => authors[id]).Where(a => a.Length > 0)
            .SelectMany(CatalogueText.SplitAuthors).GroupBy(a => a).All(g => g.Count() <= 2)) capped++;
        diversity += IntraListDiversity(bundle, genres);
        localItems += bundle.Count;
    }

    int localItems;

    public double HitRate => (double)hits / bundles;
    public double Precision => (double)hitItems / items;
    public double Recall => (double)hitItems / holdout;
    public double Diversity => diversity / bundles;
    public double AuthorCapRespected => (double)capped / bundles;
    public double LocalShare => localItems == 0 ? 0 : (double)local / localItems;
    public double Coverage(int eligible) => (double)proposed.Count / eligible;

    /// <summary>Mean over pairs of 1 − Jaccard similarity of their genres (0: all alike, 1: nothing shared).</summary>
    static double IntraListDiversity(IReadOnlyList<long> bundle, IReadOnlyDictionary<long, string[]> genres)
    {
        if (bundle.Count < 2) return 0;
        double sum = 0;
        var pairs = 0;
        for (var i = 0; i < bundle.Count; i++)
            for (var j = i + 1; j < bundle.Count; j++)
            {
                var a = genres[bundle[i]];
                var b = genres[bundle[j]];
                var shared = a.Count(b.Contains);
                var union = a.Length + b.Length - shared;
                sum += union == 0 ? 0 : 1 - (double)shared / union;
                pairs++;
            }
        return sum / pairs;
    }
}
