using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>
/// What an import did. <c>withdrawn</c> counts existing copies whose status became withdrawn (those the
/// file marks withdrawn are also in <c>copiesUpdated</c>; those a full export left out are not). When <c>rejected</c> is not empty, nothing was written.
/// </summary>
internal sealed record ImportReport(int Read, int TitlesCreated, int TitlesUpdated, int TitlesUnchanged,
    int CopiesCreated, int CopiesUpdated, int CopiesUnchanged, int Withdrawn, IReadOnlyList<ImportRejection> Rejected)
{
    public static ImportReport Refused(int read, IReadOnlyList<ImportRejection> rejected) => new(read, 0, 0, 0, 0, 0, 0, 0, rejected);
}

/// <summary>
/// Imports catalogue rows: every row is checked first (nothing is written if one is bad), then titles
/// are inserted or updated by record identifier and copies by barcode, all in the caller's unit of
/// work. The HTTP endpoint, the command-line verb and the demo seed all come through here.
/// </summary>
internal sealed class CatalogueImport(CatalogueImportStore store, CopyAvailability holds, FullExportWithdrawal fullExport, TimeProvider clock)
{
    // Any constant: on PostgreSQL two imports at once would both see a record as new and both insert it.
    const long ImportLockKey = 0x436174616c6f67;

    /// <summary>Imports rows built in code (the demo seed).</summary>
    public Task<ImportReport> ImportAsync(UnitOfWork uow, IReadOnlyList<CatalogueRow> rows, CancellationToken ct) =>
        ImportAsync(uow, new CatalogueFile(rows.Count, rows, []), ct);

    /// <summary>
    /// Imports a parsed file; the file's own refusals (unreadable lines) refuse the import too. A full
    /// export (<paramref name="full"/>) also withdraws every copy it does not list (<see cref="FullExportWithdrawal"/>),
    /// in the same unit of work.
    /// </summary>
    public async Task<ImportReport> ImportAsync(UnitOfWork uow, CatalogueFile file, bool full, CancellationToken ct)
    {
        if (full && !file.Rows.Any(r => r.Barcode is not null) && file.Rejected.Count == 0)
            return ImportReport.Refused(file.Read, [new(1, "file", FullExportWithdrawal.NothingListed)]);
        var report = await ImportAsync(uow, file, ct);
        if (!full || report.Rejected.Count > 0) return report;
        var listed = file.Rows.Where(r => r.Barcode is not null).Select(r => r.Barcode!).ToHashSet(StringComparer.Ordinal);
        var (withdrawn, _) = await fullExport.WithdrawMissingAsync(uow, listed.Contains, ct);
        return report with { Withdrawn = report.Withdrawn + withdrawn };
    }

    /// <summary>Imports a parsed file; the file's own refusals (unreadable lines) refuse the import too.</summary>
    public async Task<ImportReport> ImportAsync(UnitOfWork uow, CatalogueFile file, CancellationToken ct)
    {
        await uow.LockAsync(ImportLockKey, ct);
        var now = clock.GetUtcNow();
        var branchIds = await store.BranchIdsAsync(uow, ct);

        var rejected = file.Rejected.Concat(CatalogueRules.Check(file.Rows, branchIds, now.Year))
            .OrderBy(r => r.Line).ToList();
        if (rejected.Count > 0) return ImportReport.Refused(file.Read, rejected);

        var rows = file.Rows;
        var existingTitles = await store.ExistingTitlesAsync(uow, rows.Select(r => r.RecordId).ToHashSet(StringComparer.Ordinal), ct);
        var existingCopies = await store.ExistingCopiesAsync(uow, rows.Where(r => r.Barcode is not null).Select(r => r.Barcode!).ToList(), ct);
        var plan = CatalogueImportPlan.Make(rows, branchIds, existingTitles, existingCopies);

        await store.WriteTitlesAsync(uow, plan, now, ct); // first: copies look their title up by record identifier
        await store.WriteCopiesAsync(uow, plan, now, ct);
        await FollowStatusChangesAsync(uow, plan, now, ct);
        return new ImportReport(file.Read, plan.NewTitles.Count, plan.ChangedTitles.Count, plan.TitlesUnchanged,
            plan.NewCopies.Count, plan.ChangedCopies.Count, plan.CopiesUnchanged, plan.Withdrawn, []);
    }

    /// <summary>
    /// A copy the file puts back on the shelf goes to the oldest queued hold; one it takes off the shelf
    /// (lent, lost, withdrawn) hands its hold another copy, or its patron is told (issue 12).
    /// </summary>
    async Task FollowStatusChangesAsync(UnitOfWork uow, CatalogueImportPlan plan, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var (barcode, from, to) in plan.StatusChanges)
        {
            var copyId = await store.CopyIdAsync(uow, barcode, ct);
            if (to == CopyStatus.OnShelf) await holds.BackOnShelfAsync(uow, copyId, now, ct);
            else if (to is CopyStatus.OnLoan or CopyStatus.Lost or CopyStatus.Withdrawn && from != to) await holds.LeftShelfAsync(uow, copyId, now, ct);
        }
    }
}
