using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Ils;

/// <summary>
/// Before a hold is given a copy, when <c>Ils:Provider=sip2</c> (issue #13, item 4): asks the library
/// system (Item Information, 17/18) about the copies allocation would take, in the allocator's order,
/// until one is on its shelf there. A copy it says is out (charged, lost, in transit…) is marked so
/// here through <see cref="CopyStatusSync"/>, as a status delta would, and allocation then skips it.
/// </summary>
/// <remarks>
/// The questions are asked before the caller's unit of work, never inside it: on SQLite the unit of
/// work is the one writer, and a library system taking its timeout to answer must not stall every
/// write. The allocator's conditional claim still decides who gets a copy. If the library system
/// cannot be reached, allocation goes on from ClickCollect's own statuses, as without SIP2, and a
/// warning says so.
/// </remarks>
internal sealed class IlsItemCheck(LibrarySystem ils, Db db, PickupPointStore pickupPoints, CopyStatusSync statuses, ILogger<IlsItemCheck> logger)
{
    /// <summary>At most this many copies asked about per hold (each question is a round trip to the library system).</summary>
    internal const int MaxQuestions = 5;

    sealed class Candidate { public long Id { get; init; } public string Barcode { get; init; } = ""; }

    const string CandidatesSql = $"""
        select c.id, c.barcode from copies c
        where c.status = 'onShelf' and ((@CopyId is null and c.title_id = @TitleId) or c.id = @CopyId)
        order by {HoldAllocator.CandidateOrderSql}
        limit @Limit
        """;

    /// <summary>
    /// Asks about the on-shelf copies of the title (or the one copy) for a hold collected at
    /// <paramref name="pickupPointId"/>; returns how many it found out and marked. No-op unless the provider is sip2.
    /// </summary>
    public async Task<int> CheckAsync(long? titleId, long? copyId, long pickupPointId, CancellationToken ct)
    {
        if (!ils.Enabled) return 0;
        IEnumerable<Candidate> candidates;
        var branch = await pickupPoints.BranchOfAsync(pickupPointId, ct);
        await using (var c = await db.OpenAsync(ct))
            candidates = (await c.QueryAsync<Candidate>(new CommandDefinition(CandidatesSql,
                new { TitleId = titleId, CopyId = copyId, PickupBranchId = branch, Limit = MaxQuestions }, cancellationToken: ct))).AsList();

        var marked = new List<CopyStatusRow>();
        foreach (var copy in candidates)
        {
            IlsItem item;
            try
            {
                item = await ils.ItemInformationAsync(copy.Barcode, ct);
            }
            catch (IlsUnavailableException e)
            {
                logger.LogWarning("Copy {Barcode} allocated without asking the library system, which is unreachable: {Reason}", copy.Barcode, e.Message);
                break;
            }
            if (item.LocalStatus is not { } status) break; // on its shelf there (or nothing to say): allocation takes it
            logger.LogInformation("Copy {Barcode} skipped: circulation status {Status} in the library system", copy.Barcode, item.CirculationStatus);
            marked.Add(new CopyStatusRow(0, copy.Barcode, status, status == CopyStatus.OnLoan ? item.DueOn : null));
        }
        if (marked.Count > 0) await statuses.ApplyAsync(marked, ct);
        return marked.Count;
    }
}
