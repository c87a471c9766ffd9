using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.Demo;
using ClickCollect.Api.Features.SurpriseSelections;
using ClickCollect.Api.Infrastructure.Csv;

namespace ClickCollect.Benchmarks;

/// <summary>
/// The catalogue the evaluation runs on: the demo titles (710, mostly French) and the Gutenberg
/// records shipped in tests/ClickCollect.Tests/Data (11,065, English and French), with copies made up deterministically
/// over four branches until there are <see cref="CopyCount"/> of them.
/// </summary>
internal sealed class BenchCatalogue
{
    public const int CopyCount = 100_000;
    public const long PickupBranch = 1;
    public const long OtherRequest = 999_999;
    const int GutenbergIdOffset = 1_000_000;
    /// <summary>Gutenberg subject headings used as genres when this many records share them (the long tail is noise).</summary>
    const int SubjectMinimumTitles = 40;

    public required IReadOnlyList<CandidateTitle> Titles { get; init; }
    public required IReadOnlyList<CandidateCopy> Copies { get; init; }
    public required IReadOnlyDictionary<long, string> BranchNames { get; init; }
    /// <summary>A popularity weight per title (a few titles are borrowed far more than others).</summary>
    public required IReadOnlyDictionary<long, double> Popularity { get; init; }
    public required string Source { get; init; }

    public static BenchCatalogue Load(int seed)
    {
        var titles = new List<CandidateTitle>();
        foreach (var row in DemoCatalogue.Rows().DistinctBy(r => r.RecordId))
        {
            titles.Add(new CandidateTitle
            {
                Id = titles.Count + 1,
                Title = row.Title,
                Authors = CatalogueText.JoinAuthors(row.Authors),
                Genres = CatalogueText.JoinGenres(row.Genres),
                Audience = row.Audience,
                Format = row.Format,
                Language = row.Language,
            });
        }
        var source = $"{titles.Count} demo titles";
        var gutenberg = FindGutenberg();
        if (gutenberg is not null)
        {
            var records = ReadGutenberg(gutenberg);
            titles.AddRange(records);
            source += $" + {records.Count} Gutenberg records ({Path.GetRelativePath(Environment.CurrentDirectory, gutenberg)})";
        }
        else source += " (tests/ClickCollect.Tests/Data/gutenberg-catalogue.csv.gz not found: demo titles only)";

        var random = new Random(seed);
        var popularity = titles.ToDictionary(t => t.Id, _ => Math.Pow(random.NextDouble(), 3) * 20 + 1); // heavy tail
        var copies = new List<CandidateCopy>(CopyCount);
        var cumulative = new double[titles.Count];
        for (var i = 0; i < titles.Count; i++) cumulative[i] = (i == 0 ? 0 : cumulative[i - 1]) + popularity[titles[i].Id];
        foreach (var title in titles) copies.Add(MakeCopy(copies.Count + 1, title.Id, random));
        while (copies.Count < CopyCount)
        {
            var at = Array.BinarySearch(cumulative, random.NextDouble() * cumulative[^1]);
            copies.Add(MakeCopy(copies.Count + 1, titles[Math.Min(at < 0 ? ~at : at, titles.Count - 1)].Id, random));
        }
        return new BenchCatalogue
        {
            Titles = titles,
            Copies = copies,
            Popularity = popularity,
            Source = source,
            BranchNames = new Dictionary<long, string> { [1] = "Centrale", [2] = "Les Prés", [3] = "Saint-Rémy", [4] = "Bibliobus" },
        };
    }

    // Most copies on a shelf, some out on loan or held, a few lost; 3 % of shelved ones in another request's open proposal.
    static CandidateCopy MakeCopy(long id, long titleId, Random random)
    {
        var roll = random.NextDouble();
        var status = roll < 0.70 ? CopyStatus.OnShelf : roll < 0.90 ? CopyStatus.OnLoan : roll < 0.96 ? CopyStatus.Held
            : roll < 0.98 ? CopyStatus.InTransit : CopyStatus.Lost;
        long? reserved = status == CopyStatus.OnShelf && random.NextDouble() < 0.03 ? OtherRequest : null;
        return new CandidateCopy { Id = id, TitleId = titleId, BranchId = random.Next(1, 5), Status = status, ReservedFor = reserved };
    }

    static string? FindGutenberg()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "ClickCollect.sln"))) continue;
            var path = Path.Combine(dir.FullName, "tests", "ClickCollect.Tests", "Data", "gutenberg-catalogue.csv.gz");
            return File.Exists(path) ? path : null;
        }
        return null;
    }

    // gutenberg_id,title,author,language,categories,lcsh,lcc,audience,rights
    static List<CandidateTitle> ReadGutenberg(string path)
    {
        using var text = new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress));
        var records = CsvImport.Records(text).Skip(1).Where(r => r.Error is null && r.Fields.Count >= 8).ToList();
        static IEnumerable<string> Subjects(CsvRecord r) =>
            r.Fields[5].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => s.Split(" -- ")[0].Trim()).Distinct();
        var common = records.SelectMany(Subjects).GroupBy(s => s).Where(g => g.Count() >= SubjectMinimumTitles).Select(g => g.Key).ToHashSet();
        return records.Select(r => new CandidateTitle
        {
            Id = GutenbergIdOffset + long.Parse(r.Fields[0], System.Globalization.CultureInfo.InvariantCulture),
            Title = r.Fields[1],
            Authors = r.Fields[2] is "" or "Various" or "Anonymous" ? "" : r.Fields[2],
            Genres = CatalogueText.JoinGenres(r.Fields[4].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Concat(Subjects(r).Where(common.Contains).Take(3)).Distinct()),
            Audience = r.Fields[7] == "youth" ? Audience.Youth : Audience.Adult,
            Format = DocumentFormat.Book,
            Language = r.Fields[3],
        }).ToList();
    }
}
