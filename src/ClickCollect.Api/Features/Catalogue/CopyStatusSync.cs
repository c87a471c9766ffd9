using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>
/// What a status delta did. <c>unknown</c>: barcodes ClickCollect does not have (left alone: the
/// library system may hold items never imported here). <c>holdsAllocated</c>: copies back on the shelf
/// given to a queued hold; <c>holdsReallocated</c>: holds that lost their copy and got another;
/// <c>patronsTold</c>: patrons told their copy is not coming.
/// </summary>
internal sealed record CopyStatusReport(int Read, int Updated, int Unchanged, IReadOnlyList<string> Unknown, int HoldsAllocated,
    int HoldsReallocated, int PatronsTold);

/// <summary>
/// Applies copy statuses sent by the library system (issue 12): onShelf, onLoan (with its due date),
/// lost, withdrawn. A copy ClickCollect holds for a patron (held, in transit) stays so when the library
/// system says onShelf; any other status wins, and the holds follow (<see cref="CopyAvailability"/>).
/// Rows are applied in units of work of 500, each under the title's lock, so a hold being placed at
/// the same moment sees the copy either before or after, never half-way.
/// </summary>
internal sealed class CopyStatusSync(Db db, CopyAvailability holds, TimeProvider clock)
{
    const int Batch = 500;

    sealed class Current { public long Id { get; init; } public long TitleId { get; init; } public CopyStatus Status { get; init; } public DateOnly? DueOn { get; init; } }

    const string CurrentSql = "select id, title_id, status, due_on from copies where barcode = @Barcode";
    const string UpdateSql = "update copies set status = @Status, due_on = @DueOn, updated_at = @Now where id = @Id";

    public async Task<CopyStatusReport> ApplyAsync(IReadOnlyList<CopyStatusRow> rows, CancellationToken ct)
    {
        int updated = 0, unchanged = 0;
        var unknown = new List<string>();
        var consequences = new HoldConsequences();
        foreach (var chunk in rows.Chunk(Batch))
        {
            var now = clock.GetUtcNow();
            await db.WriteAsync(async uow =>
            {
                foreach (var row in chunk)
                {
                    if (await uow.QuerySingleOrDefaultAsync<Current>(CurrentSql, new { row.Barcode }, ct) is not { } copy)
                    {
                        unknown.Add(row.Barcode);
                        continue;
                    }
                    await uow.LockAsync(LockKeys.Title(copy.TitleId), ct);
                    copy = (await uow.QuerySingleOrDefaultAsync<Current>(CurrentSql, new { row.Barcode }, ct))!; // as of the lock
                    var status = CatalogueImportPlan.EffectiveStatus(copy.Status, row.Status);
                    if (status == copy.Status && row.DueOn == copy.DueOn)
                    {
                        unchanged++;
                        continue;
                    }
                    await uow.ExecuteAsync(UpdateSql, new { Id = copy.Id, Status = DapperSetup.ToDb(status), row.DueOn, Now = now }, ct);
                    updated++;
                    if (status == copy.Status) continue;
                    consequences += status == CopyStatus.OnShelf
                        ? await holds.BackOnShelfAsync(uow, copy.Id, now, ct)
                        : await holds.LeftShelfAsync(uow, copy.Id, now, ct);
                }
                return 0;
            }, ct);
        }
        return new CopyStatusReport(rows.Count, updated, unchanged, unknown, consequences.Allocated, consequences.Reallocated, consequences.PatronsTold);
    }
}
