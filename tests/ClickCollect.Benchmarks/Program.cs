using System.Globalization;
using ClickCollect.Benchmarks;

// `make bench` (#17): the real app over HTTP beside a bare conditional insert, on SQLite and, when Debian's
// server is installed, on a throw-away PostgreSQL; then search, the slot calendar, the pick list, the figures,
// a surprise bundle, start-up and a morning-rush mix, all written to bench/results.md (HttpBench).
// Other modes: --selection-only (the bundle builder's quality on generated readers, #7: make bench-selection),
// --figures-only (the figures query in-process against a bare grouped count, #11: make bench-figures),
// --marc-only (a 200,000-record MARC import, #12: make bench-marc).
// Options: --seconds N (10: each wrk run), --connections 16,64,256, --databases sqlite,postgres, --patrons N (3000),
// --readers N (300), --runs N (200), --seed N (2020), --marc-records N (200000), --keep (the SQLite database stays, to profile),
// --app DLL (another build of the app, to compare before and after a change; make bench passes the published app),
// --only booking,reads,search,rush (only those parts; start-up is measured on every run; default all).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = Options.Parse(args);
if (Array.IndexOf(args, "--baseline-server") is var at and >= 0)
{
    await BaselineServer.RunAsync(args[at + 1], args[at + 2], int.Parse(args[at + 3], CultureInfo.InvariantCulture), int.Parse(args[at + 4], CultureInfo.InvariantCulture));
    return;
}
if (args.Contains("--selection-only"))
{
    SelectionBench.Run(options);
    return;
}
if (args.Contains("--figures-only"))
{
    await FiguresBench.RunAsync(100_000);
    return;
}
if (args.Contains("--marc-only"))
{
    await MarcImportBench.RunAsync(options.MarcRecords);
    return;
}
Environment.ExitCode = await HttpBench.RunAsync(options);

internal sealed record Options(int Readers, int Runs, int Seed, int MarcRecords, int Seconds, int Patrons, int[] Connections, string[] Databases)
{
    /// <summary>Keep the SQLite database and the data-protection keys of the run (to profile against them afterwards).</summary>
    public bool Keep { get; init; }

    /// <summary>Another build of the app to measure (before/after a change), instead of src/ClickCollect.Api/bin/Release.</summary>
    public string? App { get; init; }

    /// <summary>The parts to measure (--only): booking (16/64/256 connections and memory), reads (search, calendar, pick list, figures, bundle), search alone, rush; empty: all.</summary>
    public string[] Only { get; init; } = [];

    public bool Measures(string part) => Only.Length == 0 || Only.Contains("all") || Only.Contains(part) || (part == "search" && Only.Contains("reads"));

    public static Options Parse(string[] args)
    {
        string? Text(string name)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        }
        int Get(string name, int fallback) => int.TryParse(Text(name), CultureInfo.InvariantCulture, out var v) ? v : fallback;
        string[] List(string name, string fallback) => (Text(name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Options(Get("--readers", 300), Get("--runs", 200), Get("--seed", 2020), Get("--marc-records", 200_000), Get("--seconds", 10),
            Get("--patrons", 3_000), [.. List("--connections", "16,64,256").Select(c => int.Parse(c, CultureInfo.InvariantCulture))],
            List("--databases", "sqlite,postgres")) { Keep = args.Contains("--keep"), App = Text("--app"), Only = List("--only", "all") };
    }
}
