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

    // One conditional statement: rows another instance holds under a live lease fail the outer condition
    // (PostgreSQL re-checks it on the row another transaction just claimed), and only the oldest unsent
    // transaction of each copy is a candidate, so a checkin is never sent before its copy's checkout.
    const string ClaimSql = $"""
        update ils_outbox set claimed_by = @Me, claimed_until = @Until
        where sent_at is null and (claimed_until is null or claimed_until < @Now)
          and id in (
            select o.id from ils_outbox o
            where o.sent_at is null
              and not exists (select 1 from ils_outbox e where e.barcode = o.barcode and e.sent_at is null and e.id < o.id)
            order by o.id
            limit @Limit)
        returning {Columns}
        """;

    /// <summary>Claims up to <paramref name="limit"/> transactions for <paramref name="lease"/>: the oldest unsent one of each copy, that no live lease holds.</summary>
    public async Task<IReadOnlyList<IlsOutboxRow>> ClaimAsync(string me, int limit, DateTimeOffset now, TimeSpan lease, CancellationToken ct)
    {
        var rows = await db.WriteAsync(uow => uow.QueryAsync<IlsOutboxRow>(ClaimSql, new { Me = me, Until = now + lease, Now = now, Limit = limit }, ct), ct);
        return rows.OrderBy(r => r.Id).ToList();
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

    const string AnsweredSql = """
        update ils_outbox set sent_at = @Now, attempts = attempts + 1, result = @Result, error = @Error, claimed_until = null
        where id = @Id and sent_at is null and claimed_by = @Me
        """;
    const string FailedSql = """
        update ils_outbox set attempts = attempts + 1, error = @Error, claimed_by = null, claimed_until = null
        where id = @Id and sent_at is null and claimed_by = @Me
        """;
    const string ReleaseSql = "update ils_outbox set claimed_by = null, claimed_until = null where sent_at is null and claimed_by = @Me";

    public Task<int> AnsweredAsync(string me, long id, bool refused, string? message, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(uow => uow.ExecuteAsync(AnsweredSql, new { Me = me, Id = id, Now = now, Result = refused ? "refused" : "done", Error = refused ? message : null }, ct), ct);

    public Task<int> FailedAsync(string me, long id, string error, CancellationToken ct) =>
        db.WriteAsync(uow => uow.ExecuteAsync(FailedSql, new { Me = me, Id = id, Error = error }, ct), ct);

    /// <summary>Gives back what this instance claimed and did not send (the library system stopped answering).</summary>
    public Task<int> ReleaseAsync(string me, CancellationToken ct) =>
        db.WriteAsync(uow => uow.ExecuteAsync(ReleaseSql, new { Me = me }, ct), ct);

    // -- Retention and erasure (Privacy, issue 16): the owner unlinks its own rows ---------------------------------

    const string ForgetSentCardsSql = "update ils_outbox set card_number = null where card_number is not null and sent_at < @Before";
    const string ForgetCardSql = "update ils_outbox set card_number = null where upper(card_number) = upper(@Card)";

    /// <summary>Messages the library system answered before <paramref name="before"/> no longer carry the card number.</summary>
    public static Task<int> ForgetSentCardNumbersAsync(UnitOfWork uow, DateTimeOffset before, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetSentCardsSql, new { Before = before }, ct);

    /// <summary>Erasure: no message keeps the patron's card number.</summary>
    public static Task<int> ForgetCardAsync(UnitOfWork uow, string card, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetCardSql, new { Card = card }, ct);
}
