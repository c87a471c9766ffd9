using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Holds;

/// <summary>What happened to the holds when copies changed status in the library system.</summary>
internal sealed record HoldConsequences(int Allocated = 0, int Reallocated = 0, int PatronsTold = 0)
{
    public static HoldConsequences operator +(HoldConsequences a, HoldConsequences b) =>
        new(a.Allocated + b.Allocated, a.Reallocated + b.Reallocated, a.PatronsTold + b.PatronsTold);
}

/// <summary>
/// The holds' side of a copy status that came from the library system (a catalogue import, a status
/// delta; issue 12), inside the caller's unit of work and after the caller wrote the copy's new status.
/// A copy back on the shelf goes to the oldest queued hold that can use it (<see cref="HoldAllocator"/>).
/// A copy gone from the shelf (lent at the desk, lost, withdrawn) while allocated sends its hold back
/// to the queue, which gives it another copy if one is free; otherwise the patron is told and staff see
/// a <c>hold_alerts</c> row. Holds waiting for that very copy, or for a title left without any copy that
/// could ever come back, are flagged and their patrons told the same way. No hold is cancelled here:
/// staff decide (the alerts list), the patron keeps their place.
/// </summary>
internal sealed class CopyAvailability(HoldAllocator allocator, Notify notify)
{
    const string CopySql = "select id, title_id, status from copies where id = @Id";

    sealed class CopyRow { public long Id { get; init; } public long TitleId { get; init; } public string Status { get; init; } = ""; }

    /// <summary>The copy is on the shelf again in the library system: the oldest queued hold that can use it gets it.</summary>
    public async Task<HoldConsequences> BackOnShelfAsync(UnitOfWork uow, long copyId, DateTimeOffset now, CancellationToken ct)
    {
        if (await uow.QuerySingleOrDefaultAsync<CopyRow>(CopySql, new { Id = copyId }, ct) is not { Status: "onShelf" } copy) return new();
        await uow.LockAsync(LockKeys.Title(copy.TitleId), ct);
        await allocator.ReleaseAsync(uow, copyId, now, ct);
        var taken = await uow.QuerySingleAsync<string>("select status from copies where id = @Id", new { Id = copyId }, ct) != "onShelf";
        return new(Allocated: taken ? 1 : 0);
    }

    const string UnassignSql = $"""
        update holds set copy_id = null, status = 'queued', allocated_at = null, updated_at = @Now
        where copy_id = @CopyId and status in {HoldStatuses.AllocatedSql}
        returning id, title_id, requested_copy_id, pickup_point_id
        """;

    sealed class Unassigned { public long Id { get; init; } public long TitleId { get; init; } public long? RequestedCopyId { get; init; } public long PickupPointId { get; init; } }

    // Copies that can still serve a hold one day: on a shelf, lent, or already set aside.
    const string UsableCopiesSql = "select count(*) from copies where title_id = @TitleId and status in ('onShelf', 'onLoan', 'held', 'inTransit')";

    const string StrandedSql = """
        select id from holds
        where status = 'queued' and title_id = @TitleId and (@NoCopyLeft = 1 or requested_copy_id = @CopyId)
        order by created_at, id
        """;

    const string AlertSql = """
        insert into hold_alerts (hold_id, copy_id, reason, created_at)
        select @HoldId, @CopyId, @Reason, @Now
        where not exists (select 1 from hold_alerts where hold_id = @HoldId and copy_id = @CopyId and resolved_at is null)
        """;

    /// <summary>The copy left the shelf in the library system (its new status is already written).</summary>
    public async Task<HoldConsequences> LeftShelfAsync(UnitOfWork uow, long copyId, DateTimeOffset now, CancellationToken ct)
    {
        if (await uow.QuerySingleOrDefaultAsync<CopyRow>(CopySql, new { Id = copyId }, ct) is not { } copy) return new();
        await uow.LockAsync(LockKeys.Title(copy.TitleId), ct);
        var result = new HoldConsequences();
        var gone = copy.Status is "lost" or "withdrawn";
        var noCopyLeft = gone && await uow.QuerySingleAsync<long>(UsableCopiesSql, new { copy.TitleId }, ct) == 0;

        if (await uow.QuerySingleOrDefaultAsync<Unassigned>(UnassignSql, new { CopyId = copyId, Now = now }, ct) is { } hold)
        {
            var requestedGone = hold.RequestedCopyId == copyId && gone;
            if (!requestedGone && await allocator.AllocateAsync(uow, hold.Id, hold.TitleId, hold.RequestedCopyId, hold.PickupPointId, now, ct))
                return result with { Reallocated = 1 };
            await AlertAsync(hold.Id, $"L'exemplaire prévu est passé « {copy.Status} » dans le système de la bibliothèque ; aucun autre n'est libre.");
            if (await notify.CopyUnavailableAsync(uow, hold.Id, copyId, noCopyLeft || requestedGone, now, ct)) result = result with { PatronsTold = 1 };
        }
        if (!gone) return result;

        var stranded = await uow.QueryAsync<long>(StrandedSql, new { copy.TitleId, CopyId = copyId, NoCopyLeft = noCopyLeft ? 1 : 0 }, ct);
        foreach (var holdId in stranded)
        {
            await AlertAsync(holdId, noCopyLeft
                ? "Le titre n'a plus d'exemplaire dans le système de la bibliothèque (retirés ou perdus)."
                : "L'exemplaire demandé est retiré ou perdu dans le système de la bibliothèque.");
            if (await notify.CopyUnavailableAsync(uow, holdId, copyId, noOtherCopy: true, now, ct)) result = result with { PatronsTold = result.PatronsTold + 1 };
        }
        return result;

        Task AlertAsync(long holdId, string reason) => uow.ExecuteAsync(AlertSql, new { HoldId = holdId, CopyId = copyId, Reason = reason, Now = now }, ct);
    }
}
