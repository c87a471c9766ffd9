namespace ClickCollect.Api.Features.Catalogue;

/// <summary>A title's bibliographic data in its stored form (lists joined), compared field by field.</summary>
internal sealed record TitleData(string? Isbn, string Title, string Authors, string Publisher, int? Year, string Language,
    Audience Audience, DocumentFormat Format, string Genres)
{
    public static TitleData From(CatalogueRow row) => new(
        row.Isbn is null ? null : NormaliseIsbn(row.Isbn), row.Title, CatalogueText.JoinAuthors(row.Authors), row.Publisher ?? "",
        row.Year, row.Language, row.Audience, row.Format, CatalogueText.JoinGenres(row.Genres));

    /// <summary>"978-2-07-036002-4" and "978 2 07 036002 4" are the same ISBN: kept as digits (and a final X).</summary>
    public static string NormaliseIsbn(string isbn) => isbn.Replace("-", "").Replace(" ", "").ToUpperInvariant();

    /// <summary>The import file's column names of the fields that differ.</summary>
    public static IEnumerable<string> Differences(TitleData a, TitleData b)
    {
        if (a.Isbn != b.Isbn) yield return "isbn";
        if (a.Title != b.Title) yield return "title";
        if (a.Authors != b.Authors) yield return "authors";
        if (a.Publisher != b.Publisher) yield return "publisher";
        if (a.Year != b.Year) yield return "year";
        if (a.Language != b.Language) yield return "language";
        if (a.Audience != b.Audience) yield return "audience";
        if (a.Format != b.Format) yield return "format";
        if (a.Genres != b.Genres) yield return "genres";
    }
}

/// <summary>A copy in its stored form, with its title's record identifier.</summary>
internal sealed record CopyData(string Barcode, string RecordId, long BranchId, string ShelfLocation, string CallNumber, CopyStatus Status);

/// <summary>
/// What an import changes, worked out before any write by comparing the (valid) rows with what the
/// database already holds. Pure. Unchanged titles and copies are not rewritten, so a nightly
/// re-import of the same export costs reads only and leaves updated_at alone.
/// </summary>
internal sealed class CatalogueImportPlan
{
    public List<(string RecordId, TitleData Data)> NewTitles { get; } = [];
    public List<(string RecordId, TitleData Data)> ChangedTitles { get; } = [];
    public List<CopyData> NewCopies { get; } = [];
    public List<CopyData> ChangedCopies { get; } = [];
    public int TitlesUnchanged { get; private set; }
    public int CopiesUnchanged { get; private set; }
    /// <summary>Existing copies whose status changes: holds may have to follow (<see cref="Holds.CopyAvailability"/>).</summary>
    public List<(string Barcode, CopyStatus From, CopyStatus To)> StatusChanges { get; } = [];
    /// <summary>Existing copies whose status becomes withdrawn (a copy first seen as withdrawn counts as created only).</summary>
    public int Withdrawn { get; private set; }

    public static CatalogueImportPlan Make(IReadOnlyList<CatalogueRow> rows, IReadOnlyDictionary<string, long> branchIds,
        IReadOnlyDictionary<string, TitleData> existingTitles, IReadOnlyDictionary<string, CopyData> existingCopies)
    {
        var plan = new CatalogueImportPlan();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!seen.Add(row.RecordId)) continue; // the rules made sure repeated rows agree
            var data = TitleData.From(row);
            if (!existingTitles.TryGetValue(row.RecordId, out var existing)) plan.NewTitles.Add((row.RecordId, data));
            else if (existing != data) plan.ChangedTitles.Add((row.RecordId, data));
            else plan.TitlesUnchanged++;
        }
        foreach (var row in rows)
        {
            if (row.Barcode is null) continue;
            var copy = new CopyData(row.Barcode, row.RecordId, branchIds[row.BranchCode!], row.ShelfLocation ?? "", row.CallNumber ?? "", row.Status);
            if (!existingCopies.TryGetValue(row.Barcode, out var current))
            {
                plan.NewCopies.Add(copy);
                continue;
            }
            copy = copy with { Status = EffectiveStatus(current.Status, copy.Status) };
            if (copy == current)
            {
                plan.CopiesUnchanged++;
                continue;
            }
            plan.ChangedCopies.Add(copy);
            if (copy.Status != current.Status) plan.StatusChanges.Add((copy.Barcode, current.Status, copy.Status));
            if (copy.Status == CopyStatus.Withdrawn && current.Status != CopyStatus.Withdrawn) plan.Withdrawn++;
        }
        return plan;
    }

    /// <summary>
    /// The library system only knows a held or in-transit copy as "on shelf": that must not undo
    /// ClickCollect's own workflow. Any other status from the system (on loan, lost, withdrawn) wins.
    /// The write statement applies the same rule, in case a hold moved the copy since it was read.
    /// </summary>
    public static CopyStatus EffectiveStatus(CopyStatus current, CopyStatus incoming) =>
        incoming == CopyStatus.OnShelf && current is CopyStatus.Held or CopyStatus.InTransit ? current : incoming;
}
