namespace ClickCollect.Api.Features.Catalogue;

internal sealed record TitleSummaryResponse(long Id, string Title, string[] Authors, string? Publisher, int? Year, string Language,
    Audience Audience, DocumentFormat Format, string[] Genres, int AvailableCopies);

/// <param name="TotalIsEstimate">
/// True when more than <see cref="CatalogueStore.ExactCountLimit"/> titles match: <c>total</c> is then an estimate
/// (an upper bound when filters narrow the words), not an exact count (#17).
/// </param>
internal sealed record TitleSearchResponse(IReadOnlyList<TitleSummaryResponse> Items, int Total, int Page, int PageSize, bool TotalIsEstimate);

/// <summary>
/// A title with its copies. Barcodes, shelf locations and call numbers are for staff (DESIGN: "copies'
/// details: staff"); other callers get them as null, and see neither lost nor withdrawn copies.
/// </summary>
internal sealed record TitleResponse(long Id, string RecordId, string? Isbn, string Title, string[] Authors, string? Publisher, int? Year,
    string Language, Audience Audience, DocumentFormat Format, string[] Genres, int AvailableCopies,
    IReadOnlyList<CopyResponse> Copies, IReadOnlyList<BranchAvailability> Availability, int? QueueLength = null);

internal sealed record CopyResponse(long Id, string? Barcode, long BranchId, string BranchName, string? ShelfLocation, string? CallNumber,
    CopyStatus Status);

/// <summary>Per branch: copies on the shelf now, out of the copies a patron could one day borrow (not lost, not withdrawn).</summary>
internal sealed record BranchAvailability(long BranchId, string BranchName, int OnShelf, int Copies);

internal sealed record GenreCount(string Genre, int Titles);

internal sealed class TitleRow
{
    public long Id { get; init; }
    public string RecordId { get; init; } = "";
    public string? Isbn { get; init; }
    public string Title { get; init; } = "";
    public string Authors { get; init; } = "";
    public string Publisher { get; init; } = "";
    public int? Year { get; init; }
    public string Language { get; init; } = "";
    public Audience Audience { get; init; }
    public DocumentFormat Format { get; init; }
    public string Genres { get; init; } = "";
    public long AvailableCopies { get; init; }

    public TitleSummaryResponse ToSummary() => new(Id, Title, CatalogueText.SplitAuthors(Authors), NullIfEmpty(Publisher), Year, Language,
        Audience, Format, CatalogueText.SplitGenres(Genres), (int)AvailableCopies);

    public TitleResponse ToResponse(IReadOnlyList<CopyRow> copies, bool forStaff)
    {
        var visible = forStaff ? copies : copies.Where(c => c.Status is not (CopyStatus.Lost or CopyStatus.Withdrawn)).ToList();
        var availability = visible.Where(c => c.Status is not (CopyStatus.Lost or CopyStatus.Withdrawn))
            .GroupBy(c => (c.BranchId, c.BranchName))
            .Select(g => new BranchAvailability(g.Key.BranchId, g.Key.BranchName, g.Count(c => c.Status == CopyStatus.OnShelf), g.Count()))
            .OrderBy(a => a.BranchName, CatalogueText.FrenchOrder).ToList();
        return new TitleResponse(Id, RecordId, Isbn, Title, CatalogueText.SplitAuthors(Authors), NullIfEmpty(Publisher), Year, Language,
            Audience, Format, CatalogueText.SplitGenres(Genres), copies.Count(c => c.Status == CopyStatus.OnShelf),
            visible.Select(c => c.ToResponse(forStaff)).ToList(), availability);
    }

    static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

internal sealed class CopyRow
{
    public long Id { get; init; }
    public string Barcode { get; init; } = "";
    public long BranchId { get; init; }
    public string BranchName { get; init; } = "";
    public string ShelfLocation { get; init; } = "";
    public string CallNumber { get; init; } = "";
    public CopyStatus Status { get; init; }

    public CopyResponse ToResponse(bool forStaff) => forStaff
        ? new(Id, Barcode, BranchId, BranchName, ShelfLocation, CallNumber, Status)
        : new(Id, null, BranchId, BranchName, null, null, Status);
}
