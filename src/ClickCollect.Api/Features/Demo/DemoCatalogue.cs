using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Infrastructure.Csv;

namespace ClickCollect.Api.Features.Demo;

/// <summary>
/// The sample catalogue: the real titles of demo-titles.csv (written for this project: titles,
/// authors, years and genres are facts) with copies made up deterministically, spread over the demo
/// branches and shelved where a French public library would shelve them.
/// </summary>
internal static class DemoCatalogue
{
    public static IReadOnlyList<CatalogueRow> Rows()
    {
        using var stream = typeof(DemoCatalogue).Assembly.GetManifestResourceStream("demo/demo-titles.csv")
            ?? throw new InvalidOperationException("demo-titles.csv is not embedded in the assembly.");
        using var reader = CsvImport.OpenReader(stream);
        var file = CatalogueCsv.Read(reader);
        if (file.Rejected.Count > 0)
            throw new InvalidOperationException($"demo-titles.csv line {file.Rejected[0].Line}: {file.Rejected[0].Reason}");

        var random = new Random(2020); // the same copies on every machine
        var barcode = 0;
        var rows = new List<CatalogueRow>();
        foreach (var title in file.Rows)
        {
            var copies = title.Format is DocumentFormat.LargePrint or DocumentFormat.Cd ? 1 : random.Next(1, 4);
            var onlyInQuarter = random.Next(5) == 0;
            for (var i = 0; i < copies; i++)
            {
                var branch = i == 0 ? (onlyInQuarter ? "PRES" : "CENTRALE") : (random.Next(2) == 0 ? "PRES" : "CENTRALE");
                rows.Add(title with
                {
                    Barcode = $"31000{++barcode:D8}",
                    BranchCode = branch,
                    ShelfLocation = ShelfOf(title),
                    Status = random.Next(10) == 0 ? CopyStatus.OnLoan : CopyStatus.OnShelf,
                });
            }
        }
        return rows;
    }

    public static readonly string[] CentralWalk =
    [
        "Romans adultes", "Romans policiers", "Science-fiction", "Langues étrangères", "Gros caractères", "Livres audio",
        "Documentaires adultes", "BD adultes", "DVD", "CD", "Romans ados", "Mangas", "BD jeunesse", "Premières lectures",
        "Albums", "Contes", "Documentaires jeunesse",
    ];

    public static readonly string[] QuarterWalk =
    [
        "Albums", "Contes", "Premières lectures", "Documentaires jeunesse", "BD jeunesse", "Mangas", "Romans ados",
        "Romans adultes", "Romans policiers", "Science-fiction", "Gros caractères", "Langues étrangères", "Documentaires adultes",
        "BD adultes", "Livres audio", "DVD", "CD",
    ];

    /// <summary>The shelf a copy lives on, as the demo branches lay out their rooms.</summary>
    internal static string ShelfOf(CatalogueRow t)
    {
        var call = t.CallNumber ?? "";
        bool Genre(params string[] any) => t.Genres.Any(g => any.Contains(g));
        return (t.Format, t.Audience) switch
        {
            (DocumentFormat.Dvd, _) => "DVD",
            (DocumentFormat.Cd, _) => "CD",
            (DocumentFormat.Audiobook, _) => "Livres audio",
            (DocumentFormat.LargePrint, _) => "Gros caractères",
            (DocumentFormat.Comics, Audience.Adult) => "BD adultes",
            (DocumentFormat.Comics, _) when Genre("Manga") => "Mangas",
            (DocumentFormat.Comics, _) => "BD jeunesse",
            (_, Audience.Youth) => "Romans ados",
            (_, Audience.Children) when call.StartsWith("A ", StringComparison.Ordinal) => "Albums",
            (_, Audience.Children) when call.StartsWith("C ", StringComparison.Ordinal) => "Contes",
            (_, Audience.Children) when call.StartsWith('J') => "Documentaires jeunesse",
            (_, Audience.Children) => "Premières lectures",
            _ when t.Language != "fr" => "Langues étrangères",
            _ when call.Length > 0 && char.IsAsciiDigit(call[0]) => "Documentaires adultes",
            _ when Genre("Policier", "Thriller", "Polar nordique") => "Romans policiers",
            _ when Genre("Science-fiction", "Fantasy") => "Science-fiction",
            _ => "Romans adultes",
        };
    }
}
