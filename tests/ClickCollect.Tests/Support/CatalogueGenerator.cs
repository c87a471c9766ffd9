using System.Text;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Infrastructure.Csv;

namespace ClickCollect.Tests.Support;

/// <summary>
/// A realistic large catalogue for tests: the 11,065 Project Gutenberg records of
/// tests/ClickCollect.Tests/Data/gutenberg-catalogue.csv.gz (gutenberg_id,title,author,language,categories,lcsh,lcc,audience,rights)
/// turned into import rows with synthetic copies. Deterministic: same seed, same rows.
/// </summary>
internal static class CatalogueGenerator
{
    public const string FileName = "gutenberg-catalogue.csv.gz";

    /// <summary>The records, shipped gzipped in the repository (tests/ClickCollect.Tests/Data) and copied beside the test binaries.</summary>
    public static string? DataFile()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", FileName);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Rows for every record, with 1 to 2 × <paramref name="averageCopies"/> − 1 copies each, spread over the branches.</summary>
    public static List<CatalogueRow> Rows(string path, IReadOnlyList<string> branchCodes, int averageCopies, int seed = 20200317)
    {
        var random = new Random(seed);
        var rows = new List<CatalogueRow>();
        using var reader = new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress), Encoding.UTF8);
        var records = CsvImport.Records(reader).GetEnumerator();
        records.MoveNext();
        var header = records.Current.Fields.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        var barcode = 31_000_000_000L;
        while (records.MoveNext())
        {
            string Field(string name) => records.Current.Fields[header[name]];
            var title = new CatalogueRow
            {
                RecordId = "PG" + Field("gutenberg_id"),
                Title = CatalogueCsv.Clean(Field("title")),
                Authors = CatalogueText.SplitAuthors(Field("author")),
                Publisher = "Project Gutenberg",
                Language = Field("language"),
                Audience = Field("audience") == "youth" ? Audience.Youth : Audience.Adult,
                Format = random.Next(20) == 0 ? DocumentFormat.LargePrint : DocumentFormat.Book,
                Genres = CatalogueText.SplitGenres(Field("categories")),
            };
            var copies = random.Next(1, 2 * averageCopies);
            for (var i = 0; i < copies; i++)
            {
                var branch = branchCodes[random.Next(branchCodes.Count)];
                rows.Add(title with
                {
                    Barcode = (barcode++).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    BranchCode = branch,
                    ShelfLocation = $"{(title.Audience == Audience.Youth ? "Jeunesse" : "Adultes")} – travée {random.Next(1, 40)}",
                    CallNumber = CallNumber(Field("lcc"), title.Authors),
                    Status = random.Next(10) == 0 ? CopyStatus.OnLoan : CopyStatus.OnShelf,
                });
            }
        }
        return rows;
    }

    /// <summary>Class letters and the author's first three letters, as on a spine label: "PR STE".</summary>
    static string CallNumber(string lcc, IReadOnlyList<string> authors)
    {
        var letters = new string((authors.FirstOrDefault() ?? "ANO").Where(char.IsLetter).Take(3).ToArray()).ToUpperInvariant();
        return $"{lcc.Split('|')[0]} {(letters.Length == 0 ? "ANO" : letters)}".Trim();
    }

    /// <summary>The rows in the documented import format (RFC 4180 quoting).</summary>
    public static string ToCsv(IEnumerable<CatalogueRow> rows)
    {
        var csv = new StringBuilder(string.Join(',', CatalogueCsv.Columns)).Append("\r\n");
        foreach (var r in rows)
        {
            string?[] fields =
            [
                r.RecordId, r.Isbn, r.Title, CatalogueText.JoinAuthors(r.Authors), r.Publisher, r.Year?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                r.Language, Api.Infrastructure.Database.DapperSetup.ToDb(r.Audience), Api.Infrastructure.Database.DapperSetup.ToDb(r.Format),
                CatalogueText.JoinGenres(r.Genres), r.Barcode, r.BranchCode, r.ShelfLocation, r.CallNumber,
                r.Barcode is null ? null : Api.Infrastructure.Database.DapperSetup.ToDb(r.Status),
            ];
            csv.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
        }
        return csv.ToString();
    }

    static string Quote(string? field) =>
        field is null ? "" : field.IndexOfAny([',', '"', '\r', '\n']) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
