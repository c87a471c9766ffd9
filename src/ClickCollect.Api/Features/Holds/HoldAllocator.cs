using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Holds;

/// <summary>
/// Gives copies to holds, inside the caller's unit of work. A new hold takes a copy on the shelf at
/// its pickup point's branch first (ToPick), else one from another branch (InTransit); at equal
/// distance, a copy no surprise-selection proposal reserves (so a librarian's bundle still holds at
/// confirmation, issue #7). A copy coming back goes to the oldest queued hold that can use it. Every claim is a conditional update, so two
/// transactions can never both take one copy.
/// </summary>
internal sealed class HoldAllocator(CopyStatusStore copies, PickupPointStore pickupPoints, ClickCollectMetrics metrics)
{
    sealed class Candidate { public long Id { get; init; } public long BranchId { get; init; } }

    /// <summary>
    /// Which on-shelf copy (alias <c>c</c>) a hold collected at a pickup point of branch <c>@PickupBranchId</c> takes first
    /// (<see cref="PickupPointStore.BranchOfAsync(long, CancellationToken)"/>, cached: no view joined on the hot path, #17); the SIP2 item check asks in the same order.
    /// </summary>
    internal const string CandidateOrderSql = """
        case when c.branch_id = @PickupBranchId then 0 else 1 end,
                 case when exists (select 1 from selection_items si where si.copy_id = c.id) then 1 else 0 end, c.id
        """;

    const string CandidatesSql = $"""
        select c.id, c.branch_id from copies c
        where c.title_id = @TitleId and c.status = 'onShelf' and (@CopyId is null or c.id = @CopyId)
        order by {CandidateOrderSql}
        """;
    const string AssignSql = """
        update holds set copy_id = @CopyId, status = @Status, allocated_at = @Now, updated_at = @Now where id = @HoldId and status = 'queued'
        """;
    /// <summary>True when the queued hold got a copy.</summary>
    public async Task<bool> AllocateAsync(UnitOfWork uow, long holdId, long titleId, long? copyId, long pickupPointId, DateTimeOffset now, CancellationToken ct)
    {
        var branch = await pickupPoints.BranchOfAsync(uow, pickupPointId, ct)
            ?? throw new InvalidOperationException($"Pickup point {pickupPointId} has no branch.");
        var candidates = (await uow.QueryAsync<Candidate>(CandidatesSql, new { TitleId = titleId, CopyId = copyId, PickupBranchId = branch }, ct)).AsList();
        foreach (var candidate in candidates)
        {
            var local = candidate.BranchId == branch;
            if (!await copies.ClaimAsync(uow, candidate.Id, local ? CopyStatus.Held : CopyStatus.InTransit, now, ct)) continue;
            await uow.ExecuteAsync(AssignSql, new { CopyId = candidate.Id, Status = local ? "toPick" : "inTransit", Now = now, HoldId = holdId }, ct);
            metrics.HoldAllocated(); // counted in the unit of work: one rolled back afterwards is counted all the same
            return true;
        }
        return false;
    }

    sealed class Waiting { public long Id { get; init; } public long PickupPointId { get; init; } }

    const string CopySql = "select title_id, branch_id, status from copies where id = @Id";
    const string OldestQueuedSql = """
        select id, pickup_point_id from holds
        where title_id = @TitleId and status = 'queued' and (requested_copy_id is null or requested_copy_id = @CopyId)
        order by created_at, id
        limit 1
        """;

    sealed class CopyRow { public long TitleId { get; init; } public long BranchId { get; init; } public string Status { get; init; } = ""; }

    /// <summary>
    /// A copy freed by a cancelled, expired or collected-elsewhere hold, or returned from a loan: the
    /// oldest queued hold that can use it gets it; otherwise it goes back on the shelf. Lost and
    /// withdrawn copies stay as they are.
    /// </summary>
    public async Task ReleaseAsync(UnitOfWork uow, long copyId, DateTimeOffset now, CancellationToken ct)
    {
        var copy = await uow.QuerySingleOrDefaultAsync<CopyRow>(CopySql, new { Id = copyId }, ct);
        if (copy is null || copy.Status is "lost" or "withdrawn") return;
        var next = await uow.QuerySingleOrDefaultAsync<Waiting>(OldestQueuedSql, new { copy.TitleId, CopyId = copyId }, ct);
        if (next is null)
        {
            await copies.SetAsync(uow, copyId, CopyStatus.OnShelf, now, ct);
            return;
        }
        var local = copy.BranchId == await pickupPoints.BranchOfAsync(uow, next.PickupPointId, ct);
        await copies.SetAsync(uow, copyId, local ? CopyStatus.Held : CopyStatus.InTransit, now, ct);
        await uow.ExecuteAsync(AssignSql, new { CopyId = copyId, Status = local ? "toPick" : "inTransit", Now = now, HoldId = next.Id }, ct);
    }
}
