namespace ClickCollect.Api.Features.Catalogue;

/// <summary>Who a title is for. Stored and sent as camelCase text ("adult").</summary>
internal enum Audience { Adult, Youth, Children }

/// <summary>The physical kind of document ("largePrint").</summary>
internal enum DocumentFormat { Book, LargePrint, Comics, Dvd, Cd, Audiobook }

/// <summary>
/// Where a copy is. onShelf, onLoan, lost and withdrawn come from the library system's imports;
/// held and inTransit belong to ClickCollect's holds workflow.
/// </summary>
internal enum CopyStatus { OnShelf, OnLoan, Held, InTransit, Lost, Withdrawn }

/// <summary>
/// One line of a catalogue import: a title, and optionally one copy of it (when <see cref="Barcode"/>
/// is set). The CSV parser builds these; the demo seed may build them in code.
/// </summary>
internal sealed record CatalogueRow
{
    /// <summary>The physical line where the record starts in its file (for rejections); 0 when built in code.</summary>
    public int Line { get; init; }
    public required string RecordId { get; init; }
    public string? Isbn { get; init; }
    public required string Title { get; init; }
    public IReadOnlyList<string> Authors { get; init; } = [];
    public string? Publisher { get; init; }
    public int? Year { get; init; }
    public required string Language { get; init; }
    public Audience Audience { get; init; }
    public DocumentFormat Format { get; init; }
    public IReadOnlyList<string> Genres { get; init; } = [];
    public string? Barcode { get; init; }
    public string? BranchCode { get; init; }
    public string? ShelfLocation { get; init; }
    public string? CallNumber { get; init; }
    public CopyStatus Status { get; init; } = CopyStatus.OnShelf;
}

/// <summary>The stored spelling of lists: authors joined with " ; ", genres with "|", as in the import file.</summary>
internal static class CatalogueText
{
    public const string AuthorSeparator = " ; ";

    /// <summary>Names sorted as a French reader expects ("Épidémie" among the E), whatever the server's culture.</summary>
    public static readonly StringComparer FrenchOrder = StringComparer.Create(new System.Globalization.CultureInfo("fr-FR"), ignoreCase: true);
    public const char GenreSeparator = '|';

    public static string JoinAuthors(IEnumerable<string> authors) => string.Join(AuthorSeparator, authors);
    public static string JoinGenres(IEnumerable<string> genres) => string.Join(GenreSeparator, genres);

    public static string[] SplitAuthors(string? authors) =>
        (authors ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public static string[] SplitGenres(string? genres) =>
        (genres ?? "").Split(GenreSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
