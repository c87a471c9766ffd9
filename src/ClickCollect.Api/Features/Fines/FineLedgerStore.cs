using System.Data.Common;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Fines;

/// <summary>Money paid, or forgiven by staff, against a patron's fines.</summary>
internal enum FineEntryKind { Payment, Waiver }

internal sealed class FineEntry
{
    public long Id { get; init; }
    public FineEntryKind Kind { get; init; }
    public int AmountCents { get; init; }
    public string Note { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// The fine ledger: payments and waivers are rows, never edited. Fines themselves are not stored
/// (<see cref="FineCalculator"/>), so a patron's balance is the derived fines minus this ledger.
/// </summary>
internal sealed class FineLedgerStore(Db db)
{
    const string EntriesSql = """
        select id, kind, amount_cents, note, created_at from fine_ledger where patron_id = @PatronId order by created_at, id
        """;

    public async Task<IReadOnlyList<FineEntry>> EntriesAsync(long patronId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await EntriesAsync(c, null, patronId, ct);
    }

    public Task<IReadOnlyList<FineEntry>> EntriesAsync(UnitOfWork uow, long patronId, CancellationToken ct) =>
        EntriesAsync(uow.Connection, uow.Transaction, patronId, ct);

    static async Task<IReadOnlyList<FineEntry>> EntriesAsync(DbConnection c, DbTransaction? tx, long patronId, CancellationToken ct) =>
        (await c.QueryAsync<FineEntry>(new CommandDefinition(EntriesSql, new { PatronId = patronId }, tx, cancellationToken: ct))).AsList();

    const string InsertSql = """
        insert into fine_ledger (patron_id, kind, amount_cents, note, staff_id, created_at)
        values (@PatronId, @Kind, @AmountCents, @Note, @StaffId, @Now)
        returning id
        """;

    public Task<long> InsertAsync(UnitOfWork uow, long patronId, FineEntryKind kind, int amountCents, string note, long staffId,
        DateTimeOffset now, CancellationToken ct) =>
        uow.QuerySingleAsync<long>(InsertSql, new { PatronId = patronId, Kind = kind, AmountCents = amountCents, Note = note, StaffId = staffId, Now = now }, ct);

    // -- Retention and erasure (Privacy, issue 16): the owner unlinks its own rows ---------------------------------

    const string UnlinkSql = "update fine_ledger set patron_id = @Anonymous, note = '' where patron_id = @PatronId";

    /// <summary>The patron's payments and waivers pass to the anonymous patron, without their notes.</summary>
    public static Task<int> UnlinkAsync(UnitOfWork uow, long anonymous, long patronId, CancellationToken ct) =>
        uow.ExecuteAsync(UnlinkSql, new { Anonymous = anonymous, PatronId = patronId }, ct);
}
