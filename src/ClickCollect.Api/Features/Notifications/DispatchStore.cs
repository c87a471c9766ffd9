using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>A claimed message, with what is needed to decide whether it may still go.</summary>
internal sealed class ClaimedSms
{
    public long Id { get; init; }
    public long? PatronId { get; init; }
    public string? ToNumber { get; init; }
    public string Kind { get; init; } = "";
    public string Body { get; init; } = "";
    public bool Urgent { get; init; }
    public int Attempts { get; init; }
    /// <summary>Set when an earlier attempt may have reached Twilio: ask Twilio before sending again.</summary>
    public DateTimeOffset? DoubtSince { get; init; }
    public long? BranchId { get; init; }
    public string? TimeZone { get; init; }
    public string? PatronPhone { get; init; }
    public bool? SmsConsent { get; init; }
    public long OptedOut { get; init; }
}

/// <summary>
/// The dispatcher's side of the outbox. A message is claimed with a lease (claimed_by, claimed_until)
/// by one conditional UPDATE; every later write is fenced by claimed_by, so a dispatcher whose lease
/// ran out can no longer touch a message another one has taken over. Releasing a message clears the
/// lease and leaves claimed_by: which instance handled it last.
/// </summary>
internal sealed class DispatchStore(Db db)
{
    // Due pending messages, and messages left "sending" by a dispatcher that died (lease run out).
    // PostgreSQL: the CTE is evaluated once and skips rows another dispatcher is claiming at this very
    // moment; the condition is checked again on the row the UPDATE locks, so a row claimed meanwhile is
    // dropped, never claimed twice. SQLite: one writer at a time, nothing to skip.
    // A message found "sending" may have reached Twilio before its dispatcher died: doubt_since says so.
    static string ClaimSql(SqlDialect sql) => $"""
        with due as (
            select id from sms_outbox
            where (status = 'pending' and next_attempt_at <= @Now) or (status = 'sending' and claimed_until < @Now)
            order by next_attempt_at, id
            limit @Batch {sql.SkipLocked})
        update sms_outbox
        set status = 'sending', attempts = attempts + 1,
            doubt_since = case when status = 'sending' then coalesce(doubt_since, last_attempt_at) else doubt_since end,
            last_attempt_at = @Now, claimed_until = @LeaseUntil, claimed_by = @Worker, updated_at = @Now
        where id in (select id from due)
          and ((status = 'pending' and next_attempt_at <= @Now) or (status = 'sending' and claimed_until < @Now))
        returning id
        """;
    static string ClaimedSql(SqlDialect sql) => $"""
        select o.id, o.patron_id, o.to_number, o.kind, o.body, o.urgent, o.attempts, o.doubt_since, o.branch_id, b.time_zone,
               p.phone as patron_phone, p.sms_consent, (select count(*) from sms_opt_outs x where x.phone = o.to_number) as opted_out
        from sms_outbox o
        left join patrons p on p.id = o.patron_id
        left join branches b on b.id = o.branch_id
        where {sql.InKeys("o.id", "@Ids")}
        order by o.next_attempt_at, o.id
        """;

    public async Task<IReadOnlyList<ClaimedSms>> ClaimAsync(string worker, DateTimeOffset now, TimeSpan lease, int batch, CancellationToken ct) =>
        await db.WriteAsync(async uow =>
        {
            var ids = (await uow.QueryAsync<long>(ClaimSql(uow.Dialect), new { Now = now, LeaseUntil = now + lease, Worker = worker, Batch = batch }, ct)).AsList();
            if (ids.Count == 0) return [];
            return (IReadOnlyList<ClaimedSms>)(await uow.QueryAsync<ClaimedSms>(ClaimedSql(uow.Dialect), new { Ids = uow.Dialect.KeyList(ids) }, ct)).AsList();
        }, ct);

    static string RecordedSql(SqlDialect sql) => $"select provider_sid from sms_outbox where {sql.InKeys("provider_sid", "@Sids")}";

    /// <summary>Which of these Twilio message sids already belong to an outbox row.</summary>
    public async Task<IReadOnlySet<string>> RecordedSidsAsync(IReadOnlyCollection<string> sids, CancellationToken ct)
    {
        if (sids.Count == 0) return new HashSet<string>();
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<string>(new CommandDefinition(RecordedSql(db.Dialect), new { Sids = db.Dialect.KeyList(sids) }, cancellationToken: ct))).ToHashSet();
    }

    // The status callback may already have said more than "sent" (it can beat this update): keep what it said.
    const string SentSql = """
        update sms_outbox
        set status = case when status = 'sending' then 'sent' else status end, provider_sid = @Sid,
            provider_status = coalesce(provider_status, @ProviderStatus), sent_at = @Now, last_error = null, doubt_since = null,
            claimed_until = null, updated_at = @Now
        where id = @Id and claimed_by = @Worker
        """;
    const string RetrySql = """
        update sms_outbox
        set status = 'pending', next_attempt_at = @Next, last_error = @Reason,
            doubt_since = case when @Doubtful then coalesce(doubt_since, last_attempt_at) else doubt_since end,
            claimed_until = null, updated_at = @Now
        where id = @Id and claimed_by = @Worker and status = 'sending'
        """;
    const string PostponeSql = """
        update sms_outbox
        set status = 'pending', next_attempt_at = @Next, attempts = attempts - 1, claimed_until = null, updated_at = @Now
        where id = @Id and claimed_by = @Worker and status = 'sending'
        """;
    const string CloseSql = """
        update sms_outbox
        set status = @Status, last_error = @Reason, attempts = attempts - @Untried, claimed_until = null, updated_at = @Now
        where id = @Id and claimed_by = @Worker and status = 'sending'
        """;

    /// <summary>Twilio has the message (now, or from an earlier attempt found by asking it).</summary>
    public Task<bool> MarkSentAsync(long id, string worker, string sid, string providerStatus, DateTimeOffset now, CancellationToken ct) =>
        WriteOneAsync(SentSql, new { Id = id, Worker = worker, Sid = sid, ProviderStatus = providerStatus, Now = now }, ct);

    /// <summary>
    /// Try again at <paramref name="next"/>. <paramref name="doubtful"/>: this attempt may have reached
    /// Twilio (no answer), so the next one asks Twilio first.
    /// </summary>
    public Task<bool> RetryAsync(long id, string worker, DateTimeOffset next, string reason, bool doubtful, DateTimeOffset now, CancellationToken ct) =>
        WriteOneAsync(RetrySql, new { Id = id, Worker = worker, Next = next, Reason = reason, Doubtful = doubtful, Now = now }, ct);

    /// <summary>Not now (quiet hours): back to the queue, the claim not counted as an attempt.</summary>
    public Task<bool> PostponeAsync(long id, string worker, DateTimeOffset next, DateTimeOffset now, CancellationToken ct) =>
        WriteOneAsync(PostponeSql, new { Id = id, Worker = worker, Next = next, Now = now }, ct);

    /// <summary>A final status (failed, skipped, notConfigured) with its reason; <paramref name="tried"/>: whether Twilio was called.</summary>
    public Task<bool> CloseAsync(long id, string worker, SmsStatus status, string reason, bool tried, DateTimeOffset now, CancellationToken ct) =>
        WriteOneAsync(CloseSql, new { Id = id, Worker = worker, Status = status, Reason = reason, Untried = tried ? 0 : 1, Now = now }, ct);

    static string CloseUntriedSql(SqlDialect sql) => $"""
        update sms_outbox
        set status = @Status, last_error = @Reason, attempts = attempts - 1, claimed_until = null, updated_at = @Now
        where {sql.InKeys("id", "@Ids")} and claimed_by = @Worker and status = 'sending'
        """;

    /// <summary>
    /// <see cref="CloseAsync"/> for many messages Twilio was not called for (tried: false), in one unit of work: one
    /// statement per status and reason.
    /// </summary>
    public Task CloseUntriedAsync(string worker, IReadOnlyList<(long Id, SmsStatus Status, string Reason)> closes, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(async uow =>
        {
            foreach (var group in closes.GroupBy(c => (c.Status, c.Reason)))
                await uow.ExecuteAsync(CloseUntriedSql(uow.Dialect), new
                {
                    Ids = uow.Dialect.KeyList(group.Select(c => c.Id).ToList()),
                    Worker = worker,
                    group.Key.Status,
                    group.Key.Reason,
                    Now = now,
                }, ct);
            return 0;
        }, ct);

    /// <summary>A message Twilio accepted (its sid) that has had no delivery report since <c>updated_at</c>.</summary>
    internal sealed record AwaitingReport(long Id, string Sid);

    const string AwaitingSql = """
        select id, provider_sid as sid from sms_outbox
        where status = 'sent' and provider_sid is not null and updated_at < @Before and created_at >= @Since
        order by updated_at limit @Limit
        """;

    /// <summary>Sent messages with no delivery report since <paramref name="before"/>, created after <paramref name="since"/>, oldest first.</summary>
    public async Task<IReadOnlyList<AwaitingReport>> AwaitingReportAsync(DateTimeOffset before, DateTimeOffset since, int limit, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<AwaitingReport>(new CommandDefinition(AwaitingSql, new { Before = before, Since = since, Limit = limit },
            cancellationToken: ct))).AsList();
    }

    const string CheckedSql = "update sms_outbox set updated_at = @Now where id = @Id and status = 'sent'";

    /// <summary>Asked about and still on its way: asked again one <see cref="SmsOptions.DeliveryCheckAfter"/> later.</summary>
    public Task<bool> MarkCheckedAsync(long id, DateTimeOffset now, CancellationToken ct) => WriteOneAsync(CheckedSql, new { Id = id, Now = now }, ct);

    async Task<bool> WriteOneAsync(string sql, object parameters, CancellationToken ct) =>
        await db.WriteAsync(uow => uow.ExecuteAsync(sql, parameters, ct), ct) == 1;
}
