using System.Diagnostics;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.SurpriseSelections;

namespace ClickCollect.Benchmarks;

/// <summary>
/// Offline evaluation of the surprise-selection bundle builder (issue #7), <c>make bench-selection</c>:
/// quality on generated readers (time-split holdout: hit rate and precision at 10, intra-list diversity,
/// catalogue coverage) against bare baselines on the same candidates, then the latency of a 10-item bundle
/// over 100,000 copies as a ratio to a plain sort of the same candidates timed in the same run.
/// The bundle over HTTP, on the benchmark's database, is in <see cref="HttpBench"/>.
/// </summary>
internal static class SelectionBench
{
    public static void Run(Options options)
    {
        var load = Stopwatch.StartNew();
        var catalogue = BenchCatalogue.Load(options.Seed);
        var readers = Readers.Generate(catalogue, options.Readers, options.Seed + 1);
        Console.WriteLine($"Catalogue: {catalogue.Source}; {catalogue.Titles.Count:N0} titles, {catalogue.Copies.Count:N0} copies "
            + $"({catalogue.Copies.Count(c => c.Status == CopyStatus.OnShelf):N0} on a shelf), 4 branches.");
        Console.WriteLine($"Readers: {readers.Count}, {Readers.LoansPerReader} generated loans each, first {Readers.TrainingShare:P0} in time as the past, "
            + $"the rest held out. Prepared in {load.Elapsed.TotalSeconds:F1} s.");
        Console.WriteLine();

        var popularity = new Methods.Popularity(readers.SelectMany(r => r.Training).GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count()));
        BundleInput InputFor(Reader reader) => new()
        {
            Tastes = reader.Stated,
            RequestId = 1,
            PickupBranchId = BenchCatalogue.PickupBranch,
            BranchNames = catalogue.BranchNames,
            Titles = catalogue.Titles,
            Copies = catalogue.Copies,
            AlreadyHad = reader.Training.ToHashSet(),
            Seed = reader.Id,
        };

        // 1. Quality.
        var genres = catalogue.Titles.ToDictionary(t => t.Id, t => CatalogueText.SplitGenres(t.Genres));
        var authors = catalogue.Titles.ToDictionary(t => t.Id, t => t.Authors);
        var eligibleAnywhere = new HashSet<long>();
        foreach (var reader in readers) eligibleAnywhere.UnionWith(Methods.Eligible(InputFor(reader)).Select(t => t.Id));
        var copiesByTitle = catalogue.Copies.ToLookup(c => c.TitleId);
        Console.WriteLine($"Quality, top 10, {readers.Count} readers ({eligibleAnywhere.Count:N0} titles eligible for at least one reader):");
        Console.WriteLine();
        Console.WriteLine("| method           | hit rate | precision@10 | recall@10 | intra-list diversity | authors ≤ 2 | on the shelf here | catalogue coverage |");
        Console.WriteLine("|------------------|---------:|-------------:|----------:|---------------------:|------------:|------------------:|-------------------:|");
        foreach (var (name, run) in Methods.All)
        {
            var metrics = new Metrics();
            foreach (var reader in readers)
            {
                var bundle = run(InputFor(reader), popularity);
                metrics.Add(bundle, reader.Holdout, genres, authors, id => copiesByTitle[id].Any(c =>
                    c.BranchId == BenchCatalogue.PickupBranch && BundleProposer.Available(c, 1)));
            }
            Console.WriteLine($"| {name,-16} | {metrics.HitRate,8:P1} | {metrics.Precision,12:F3} | {metrics.Recall,9:F3} | {metrics.Diversity,20:F3} "
                + $"| {metrics.AuthorCapRespected,11:P0} | {metrics.LocalShare,17:P0} | {metrics.Coverage(eligibleAnywhere.Count),18:P1} |");
        }
        Console.WriteLine();
        Console.WriteLine("Diversity: mean 1 − Jaccard of the genres of every pair in a bundle. Coverage: distinct titles proposed over all");
        Console.WriteLine("readers / titles eligible for at least one. \"On the shelf here\": items with an available copy at the pickup branch.");
        Console.WriteLine("Readers are generated from hidden taste profiles: the figures compare methods; they do not measure real satisfaction.");
        Console.WriteLine();

        // 2. Latency: builder and baseline interleaved on the same inputs, after a warm-up.
        var inputs = readers.Select(InputFor).ToList();
        for (var i = 0; i < 30; i++)
        {
            BundleProposer.Propose(inputs[i % inputs.Count]);
            Methods.PlainSort(inputs[i % inputs.Count]);
        }
        var builder = new List<double>();
        var baseline = new List<double>();
        var (pauseBefore, gen2Before) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2));
        for (var i = 0; i < options.Runs; i++)
        {
            var input = inputs[i % inputs.Count];
            var start = Stopwatch.GetTimestamp();
            var bundle = BundleProposer.Propose(input);
            builder.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            var sorted = Methods.PlainSort(input);
            baseline.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (bundle.Items.Count == 0 || sorted.Count == 0) throw new InvalidOperationException("An empty bundle cannot be timed.");
        }
        var (pauses, gen2) = (GC.GetTotalPauseDuration() - pauseBefore, GC.CollectionCount(2) - gen2Before);
        var (b50, b95, s50, s95) = (Percentile(builder, 50), Percentile(builder, 95), Percentile(baseline, 50), Percentile(baseline, 95));
        Console.WriteLine($"Latency, 10-item bundle over {catalogue.Copies.Count:N0} copies / {catalogue.Titles.Count:N0} titles, {options.Runs} runs "
            + $"(every hard filter in memory, as if SQL had pre-filtered nothing):");
        Console.WriteLine();
        Console.WriteLine("| measured                          |    p50 |    p95 |");
        Console.WriteLine("|-----------------------------------|-------:|-------:|");
        Console.WriteLine($"| plain genre sort (baseline), ms   | {s50,6:F1} | {s95,6:F1} |");
        Console.WriteLine($"| bundle builder, ms                | {b50,6:F1} | {b95,6:F1} |");
        Console.WriteLine($"| bundle builder / baseline         | {b50 / s50,5:F2}× | {b95 / s95,5:F2}× |");
        Console.WriteLine();
        Console.WriteLine($"Garbage collection during the timed runs: {pauses.TotalMilliseconds:F0} ms of pauses, {gen2} full collections; "
            + $"load average {LoadAverage()} on {Environment.ProcessorCount} cores.");
        Console.WriteLine(b95 < 50
            ? $"Target met: builder p95 {b95:F1} ms < 50 ms ({b95 / s95:F2}× the plain sort of the same candidates)."
            : $"Target MISSED: builder p95 {b95:F1} ms ≥ 50 ms ({b95 / s95:F2}× the plain sort of the same candidates).");
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    static double Percentile(List<double> values, int p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
