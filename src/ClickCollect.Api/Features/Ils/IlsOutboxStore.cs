using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Ils;

internal sealed class IlsOutboxRow
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string? CardNumber { get; init; }
    public string Barcode { get; init; } = "";
    public DateTimeOffset OccurredAt { get; init; }
    public int Attempts { get; init; }
    public string? Error { get; init; }
    public string? Result { get; init; }
    public DateTimeOffset? SentAt { get; init; }
}

/// <summary>The outbox of SIP2 transactions waiting for the library system (issue #13), oldest first.</summary>
internal sealed class IlsOutboxStore(Db db)
{
    const string Columns = "id, kind, card_number, barcode, occurred_at, attempts, error, result, sent_at";

    const string EnqueueSql = """
        insert into ils_outbox (kind, card_number, barcode, occurred_at, created_at)
        values (@Kind, @CardNumber, @Barcode, @OccurredAt, @OccurredAt)
        """;

    /// <summary>Queues a checkout (with the card) or a checkin, in the caller's unit of work.</summary>
    public Task EnqueueAsync(UnitOfWork uow, string kind, string? cardNumber, string barcode, DateTimeOffset occurredAt, CancellationToken ct) =>
        uow.ExecuteAsync(EnqueueSql, new { Kind = kind, CardNumber = cardNumber, Barcode = barcode, OccurredAt = occurredAt }, ct);

    const string PendingSql = $"select {Columns} from ils_outbox where sent_at is null order by id limit @Limit";

    public async Task<IReadOnlyList<IlsOutboxRow>> PendingAsync(int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<IlsOutboxRow>(new CommandDefinition(PendingSql, new { Limit = limit }, cancellationToken: ct))).AsList();
    }

    const string RecentSql = $"select {Columns} from ils_outbox where sent_at is null or result = 'refused' order by id desc limit @Limit";

    /// <summary>For staff: what still waits, and what the library system refused once it answered.</summary>
    public async Task<IReadOnlyList<IlsOutboxRow>> WaitingOrRefusedAsync(int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<IlsOutboxRow>(new CommandDefinition(RecentSql, new { Limit = limit }, cancellationToken: ct))).AsList();
    }

    const string PendingForSql = "select count(*) from ils_outbox where sent_at is null and barcode = @Barcode";

    /// <summary>Whether an earlier transaction on this copy still waits (a new one must then wait behind it).</summary>
    public async Task<bool> HasPendingForAsync(string barcode, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(PendingForSql, new { Barcode = barcode }, cancellationToken: ct)) > 0;
    }

    const string AnsweredSql = "update ils_outbox set sent_at = @Now, attempts = attempts + 1, result = @Result, error = @Error where id = @Id and sent_at is null";
    const string FailedSql = "update ils_outbox set attempts = attempts + 1, error = @Error where id = @Id and sent_at is null";

    public Task<int> AnsweredAsync(long id, bool refused, string? message, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(uow => uow.ExecuteAsync(AnsweredSql, new { Id = id, Now = now, Result = refused ? "refused" : "done", Error = refused ? message : null }, ct), ct);

    public Task<int> FailedAsync(long id, string error, CancellationToken ct) =>
        db.WriteAsync(uow => uow.ExecuteAsync(FailedSql, new { Id = id, Error = error }, ct), ct);
}
