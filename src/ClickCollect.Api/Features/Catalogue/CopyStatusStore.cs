using System.Data;
using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>
/// A copy's lending status as the other features move it, inside their unit of work: the Catalogue feature
/// owns <c>copies</c> (ARCHITECTURE.md), Holds take copies off the shelf (held, in transit), report them lost
/// and put them back, Loans lend them. Statuses as stored: <see cref="CopyStatus"/> in camelCase.
/// </summary>
internal sealed class CopyStatusStore
{
    const string ClaimSql = "update copies set status = @Status, updated_at = @Now where id = @Id and status = 'onShelf'";
    const string SetSql = "update copies set status = @Status, updated_at = @Now where id = @Id";
    const string LendSql = "update copies set status = 'onLoan', updated_at = @Now where id = @Id and status <> 'onLoan'";

    /// <summary>Takes a copy that is on the shelf (held or in transit for a hold). False when someone else was first.</summary>
    public async Task<bool> ClaimAsync(UnitOfWork uow, long copyId, CopyStatus status, DateTimeOffset now, CancellationToken ct) =>
        await uow.ExecuteAsync(ClaimSql, new { Id = copyId, Status = Stored(status), Now = now }, ct) == 1;

    const string ChangeSql = "update copies set status = @To, updated_at = @Now where id = @Id and status = @From";

    /// <summary>From one status to another (a copy reported lost found again on the shelf). False when it was not in <paramref name="from"/>.</summary>
    public async Task<bool> ChangeAsync(UnitOfWork uow, long copyId, CopyStatus from, CopyStatus to, DateTimeOffset now, CancellationToken ct) =>
        await uow.ExecuteAsync(ChangeSql, new { Id = copyId, From = Stored(from), To = Stored(to), Now = now }, ct) == 1;

    public Task SetAsync(UnitOfWork uow, long copyId, CopyStatus status, DateTimeOffset now, CancellationToken ct) =>
        uow.ExecuteAsync(SetSql, new { Id = copyId, Status = Stored(status), Now = now }, ct);

    /// <summary>On loan (a counter loan). A copy already on loan is left as it is.</summary>
    public Task LendAsync(UnitOfWork uow, long copyId, DateTimeOffset now, CancellationToken ct) =>
        uow.ExecuteAsync(LendSql, new { Id = copyId, Now = now }, ct);

    /// <summary>On loan, for many copies at once (a loan import): one round trip per thousand on PostgreSQL.</summary>
    public async Task LendAllAsync(UnitOfWork uow, IEnumerable<long> copyIds, DateTimeOffset now, CancellationToken ct)
    {
        await using var lend = BulkWriter.Create(uow, LendSql, ("Now", DbType.DateTimeOffset), ("Id", DbType.Int64));
        foreach (var id in copyIds) await lend.WriteAsync([now, id], ct);
        await lend.FlushAsync(ct);
    }

    static string Stored(CopyStatus status) => status switch
    {
        CopyStatus.OnShelf => "onShelf",
        CopyStatus.OnLoan => "onLoan",
        CopyStatus.Held => "held",
        CopyStatus.InTransit => "inTransit",
        CopyStatus.Lost => "lost",
        CopyStatus.Withdrawn => "withdrawn",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
