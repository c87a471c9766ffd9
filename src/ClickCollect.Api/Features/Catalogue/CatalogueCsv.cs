using System.Globalization;
using ClickCollect.Api.Infrastructure;
using ClickCollect.Api.Infrastructure.Csv;
using ClickCollect.Api.Infrastructure.Http;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>What a catalogue file holds: how many records were read, the rows that could be read, and the refusals.</summary>
internal sealed record CatalogueFile(int Read, IReadOnlyList<CatalogueRow> Rows, IReadOnlyList<ImportRejection> Rejected);

/// <summary>
/// Reads the catalogue CSV format documented in README.md next to this file: one header row (names
/// case-insensitive, any order), one row per copy. This step only turns text into typed rows
/// (numbers, enum names, lists); the rules about the values themselves are
/// <see cref="CatalogueRules"/>, applied to every import whatever its source.
/// </summary>
internal static class CatalogueCsv
{
    public static readonly string[] Columns =
    [
        "recordId", "isbn", "title", "authors", "publisher", "year", "language", "audience", "format", "genres",
        "barcode", "branchCode", "shelfLocation", "callNumber", "status",
    ];

    static readonly CsvColumns Layout = new(Columns, ["recordId", "title", "language", "audience", "format"]);

    /// <summary>Reads a request body as it arrives.</summary>
    public static async Task<CatalogueFile> ReadAsync(Stream body, CancellationToken ct) =>
        ToFile(await CsvImport.ReadAsync(body, Layout, ToRow, ct));

    public static async Task<CatalogueFile> ReadAsync(TextReader text, CancellationToken ct) =>
        ToFile(await CsvImport.ReadAsync(text, Layout, ToRow, ct));

    /// <summary>For the embedded demo catalogue, read at start-up.</summary>
    public static CatalogueFile Read(TextReader text) => ToFile(CsvImport.Read(text, Layout, ToRow));

    static CatalogueFile ToFile(CsvRows<CatalogueRow> file) => new(file.Read, file.Rows, file.Rejected);

    static CatalogueRow? ToRow(CsvRow record, List<ImportRejection> rejected)
    {
        var line = record.Line;
        string Text(string column) => Clean(record[column]);
        string? Optional(string column) => Text(column) is { Length: > 0 } value ? value : null;
        var before = rejected.Count;

        int? year = null;
        if (Optional("year") is { } yearText)
        {
            if (int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y)) year = y;
            else rejected.Add(new(line, "year", $"« {yearText} » n'est pas une année (attendu : des chiffres, ex. 1942)."));
        }
        var audience = Enum<Audience>(line, "audience", Text("audience"), required: true, rejected);
        var format = Enum<DocumentFormat>(line, "format", Text("format"), required: true, rejected);
        var status = Enum<CopyStatus>(line, "status", Text("status"), required: false, rejected, CatalogueRules.ImportableStatuses);
        if (rejected.Count != before || audience is null || format is null) return null;

        return new CatalogueRow
        {
            Line = line,
            RecordId = Text("recordId"),
            Isbn = Optional("isbn"),
            Title = Text("title"),
            Authors = CatalogueText.SplitAuthors(Text("authors")),
            Publisher = Optional("publisher"),
            Year = year,
            Language = Text("language").ToLowerInvariant(),
            Audience = audience.Value,
            Format = format.Value,
            Genres = CatalogueText.SplitGenres(Text("genres")),
            Barcode = Optional("barcode"),
            BranchCode = Optional("branchCode"),
            ShelfLocation = Optional("shelfLocation"),
            CallNumber = Optional("callNumber"),
            Status = status ?? CopyStatus.OnShelf,
        };
    }

    static T? Enum<T>(int line, string column, string text, bool required, List<ImportRejection> rejected, T[]? accepted = null)
        where T : struct, System.Enum
    {
        if (text.Length == 0 && !required) return null;
        if (EnumText<T>.TryParse(text, out var value) && (accepted is null || accepted.Contains(value))) return value;
        var expected = string.Join(", ", (accepted ?? System.Enum.GetValues<T>()).Select(v => Infrastructure.Database.DapperSetup.ToDb(v)));
        rejected.Add(new(line, column, text.Length == 0
            ? $"Valeur obligatoire. Valeurs possibles : {expected}."
            : $"« {text} » n'est pas une valeur possible : {expected}."));
        return null;
    }

    /// <summary>Trims and folds runs of white space (line breaks included) into one space: catalogue fields are single-line.</summary>
    internal static string Clean(string value)
    {
        var text = value.Trim();
        if (!text.Any(c => char.IsWhiteSpace(c) && c != ' ') && !text.Contains("  ", StringComparison.Ordinal)) return text;
        return string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }
}
