using ClickCollect.Api.Infrastructure.Database;
using Dapper;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>An SMS to send to a patron, queued with the event that causes it.</summary>
/// <param name="NotBefore">Not sent before this instant (non-urgent messages also wait for the end of quiet hours).</param>
/// <param name="Urgent">Urgent messages ignore quiet hours (e.g. the confirmation of what the patron just did).</param>
/// <param name="DedupeKey">When set, a second message with the same key is dropped: reminders are never sent twice.</param>
/// <param name="BranchId">The branch the message is about: its zone bounds quiet hours. Null: the patron's home branch.</param>
internal sealed record OutboxMessage(long PatronId, string Kind, string Body, DateTimeOffset NotBefore, bool Urgent = false,
    string? DedupeKey = null, long? BranchId = null);

/// <summary>Who an SMS goes to, and the branch whose zone bounds its quiet hours.</summary>
internal sealed class SmsRecipient
{
    public string? Phone { get; init; }
    public bool SmsConsent { get; init; }
    public long OptedOut { get; init; }
    public long? BranchId { get; init; }
    public string? TimeZone { get; init; }
}

/// <summary>An outbox row to insert (<see cref="OutboxStore.Row"/>), its fields named as <see cref="OutboxStore.EnqueueFromSql"/>'s parameters.</summary>
internal sealed record OutboxRow(long SmsPatronId, string? SmsToNumber, string SmsKind, string SmsBody, int SmsSegments, bool SmsUrgent,
    SmsStatus SmsStatus, string? SmsReason, string? SmsDedupeKey, long? SmsBranchId, DateTimeOffset SmsNotBefore, DateTimeOffset SmsNextAttemptAt,
    DateTimeOffset SmsNow);

internal sealed record OutboxFilter(SmsStatus? Status = null, long? PatronId = null, string? Kind = null, int Limit = 200);

/// <summary>
/// The SMS outbox: queueing in the caller's unit of work, the staff listing, delivery reports and
/// opt-outs. Sending is <see cref="DispatchStore"/>'s part.
/// </summary>
internal sealed class OutboxStore(Db db, IOptions<SmsOptions> options)
{

    const string RecipientSql = """
        select p.phone, p.sms_consent, (select count(*) from sms_opt_outs o where o.phone = p.phone) as opted_out,
               b.id as branch_id, b.time_zone
        from patrons p
        left join branches b on b.id = coalesce(@BranchId, p.home_branch_id)
        where p.id = @PatronId
        """;
    const string EnqueueColumns = """
        insert into sms_outbox (patron_id, to_number, kind, body, segments, urgent, status, last_error, dedupe_key, branch_id,
                                not_before, next_attempt_at, created_at, updated_at)
        """;
    static string EnqueueValues(string dedupeKey) => $"""
        @SmsPatronId, @SmsToNumber, @SmsKind, @SmsBody, @SmsSegments, @SmsUrgent, @SmsStatus, @SmsReason, {dedupeKey}, @SmsBranchId,
        @SmsNotBefore, @SmsNextAttemptAt, @SmsNow, @SmsNow
        """;
    static readonly string EnqueueSql = $"""
        {EnqueueColumns}
        values ({EnqueueValues("@SmsDedupeKey")})
        on conflict (dedupe_key) do nothing
        """;

    /// <summary>
    /// <see cref="EnqueueAsync"/>'s insert as a data-modifying CTE's body, for a message queued by the statement of the change
    /// that causes it (PostgreSQL): one row per row of <paramref name="from"/>, with its dedupe key computed there
    /// (<paramref name="dedupeKey"/>, an SQL expression); the parameters are a <see cref="Row"/>'s. The booking queues its
    /// confirmation so, in the statement that takes the place, because that statement holds the slot's lock until COMMIT (#17).
    /// </summary>
    internal static string EnqueueFromSql(string from, string dedupeKey) => $"""
        {EnqueueColumns}
        select {EnqueueValues(dedupeKey)} from {from}
        on conflict (dedupe_key) do nothing
        """;

    /// <summary>
    /// The values an outbox row gets (the parameters of <see cref="EnqueueFromSql"/>, each named <c>Sms…</c> so they can
    /// sit beside the caller's own): what <paramref name="message"/> says, to <paramref name="to"/>, due when quiet hours
    /// allow. A patron who may not get SMS still gets a row, status skipped with the reason, so staff can see who to phone instead.
    /// </summary>
    internal OutboxRow Row(OutboxMessage message, SmsRecipient to, DateTimeOffset now)
    {
        var reason = SmsRules.SkipReason(to.Phone, to.SmsConsent, to.OptedOut > 0);
        var o = options.Value;
        var due = message.NotBefore < now ? now : message.NotBefore;
        if (!message.Urgent) due = SmsRules.QuietUntil(due, SmsRules.Zone(to.TimeZone), o.QuietHoursStart, o.QuietHoursEnd);
        return new OutboxRow(message.PatronId, to.Phone, message.Kind, message.Body, SmsSegments.Count(message.Body), message.Urgent,
            reason is null ? SmsStatus.Pending : SmsStatus.Skipped, reason, message.DedupeKey, to.BranchId, message.NotBefore, due, now);
    }

    /// <summary>
    /// Queues the message in the caller's unit of work; returns false when its dedupe key was already
    /// used (or the patron does not exist). A patron who may not get SMS still gets a row (<see cref="Row"/>).
    /// </summary>
    /// <param name="to">The recipient when the caller read it with its own query (one round trip fewer, #17): the patron's phone,
    /// consent and opt-out, and the message's branch (its <see cref="OutboxMessage.BranchId"/>) with its zone. Null: read here.</param>
    public async Task<bool> EnqueueAsync(UnitOfWork uow, OutboxMessage message, DateTimeOffset now, CancellationToken ct, SmsRecipient? to = null)
    {
        to ??= await uow.QuerySingleOrDefaultAsync<SmsRecipient>(RecipientSql, new { message.PatronId, message.BranchId }, ct);
        if (to is null) return false;
        return await uow.ExecuteAsync(EnqueueSql, Row(message, to, now), ct) == 1;
    }

    const string SkipPendingSql = """
        update sms_outbox set status = 'skipped', last_error = @Reason, updated_at = @Now where dedupe_key = @DedupeKey and status = 'pending'
        """;

    /// <summary>A queued message that no longer makes sense (a reminder for a cancelled appointment) is not sent.</summary>
    public Task<int> SkipPendingAsync(UnitOfWork uow, string dedupeKey, string reason, DateTimeOffset now, CancellationToken ct) =>
        uow.ExecuteAsync(SkipPendingSql, new { DedupeKey = dedupeKey, Reason = reason, Now = now }, ct);

    const string ForgetPendingSql = "delete from sms_outbox where dedupe_key = @DedupeKey and status = 'pending'";
    const string ForgetUnsentSql = "delete from sms_outbox where dedupe_key = @DedupeKey and status in ('pending', 'skipped', 'notConfigured')";

    /// <summary>Removes a message that never left (waiting, skipped, or kept while no SMS provider is set): the event it told of was taken back.</summary>
    public Task<int> ForgetUnsentAsync(UnitOfWork uow, string dedupeKey, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetUnsentSql, new { DedupeKey = dedupeKey }, ct);

    /// <summary>Removes a queued message and frees its dedupe key, so the same event can be queued again (a reminder for a moved appointment).</summary>
    public Task<int> ForgetPendingAsync(UnitOfWork uow, string dedupeKey, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetPendingSql, new { DedupeKey = dedupeKey }, ct);

    static string ListSql(OutboxFilter f) => $"""
        select o.id, o.kind, o.body, o.status, o.last_error as reason, o.to_number, o.urgent, o.attempts, o.created_at,
               o.next_attempt_at, o.sent_at, o.provider_sid, o.provider_status,
               p.card_number as patron_card_number, p.first_name || ' ' || p.last_name as patron_name
        from sms_outbox o
        left join patrons p on p.id = o.patron_id
        {new SqlWhere()
            .And(f.Status is not null, "o.status = @Status")
            .And(f.PatronId is not null, "o.patron_id = @PatronId")
            .And(f.Kind is not null, "o.kind = @Kind")}
        order by o.created_at desc, o.id desc
        limit @Limit
        """;

    public async Task<IReadOnlyList<OutboxItem>> ListAsync(OutboxFilter f, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var parameters = new { Status = f.Status is { } s ? DapperSetup.ToDb(s) : null, f.PatronId, f.Kind, f.Limit };
        return (await c.QueryAsync<OutboxItem>(new CommandDefinition(ListSql(f), parameters, cancellationToken: ct))).AsList();
    }

    // A report may come before the dispatcher has recorded the sid (the callback URL carries the row id),
    // and late or repeated reports never take a final status back.
    const string ReportSql = """
        update sms_outbox set status = @Status, provider_status = @ProviderStatus, provider_sid = coalesce(provider_sid, @Sid),
               last_error = coalesce(@Error, last_error), updated_at = @Now
        where (provider_sid = @Sid or (id = @Id and provider_sid is null)) and status in ('sending', 'sent')
        """;

    /// <summary>
    /// A delivery report from Twilio's status callback; false when no message in flight matches, or when
    /// this report (MessageSid and status) was already handled (#14 item 6).
    /// </summary>
    public async Task<bool> RecordReportAsync(string sid, long? outboxId, SmsStatus status, string providerStatus, string? error,
        DateTimeOffset now, CancellationToken ct) =>
        await db.WriteAsync(async uow =>
        {
            if (!await WebhookMessages.ClaimAsync(uow, sid, WebhookMessages.Status(providerStatus), now, ct)) return 0;
            return await uow.ExecuteAsync(ReportSql, new
            {
                Sid = sid,
                Id = outboxId,
                Status = status,
                ProviderStatus = providerStatus,
                Error = error,
                Now = now,
            }, ct);
        }, ct) == 1;

    const string OptOutSql = """
        insert into sms_opt_outs (phone, source, opted_out_at) values (@Phone, @Source, @Now) on conflict (phone) do nothing
        """;
    const string OptInSql = "delete from sms_opt_outs where phone = @Phone";

    /// <summary>No SMS to this number until it answers START. <paramref name="source"/>: "sms" (STOP) or "provider" (Twilio 21610).</summary>
    public Task<int> OptOutAsync(UnitOfWork uow, string phone, string source, DateTimeOffset now, CancellationToken ct) =>
        uow.ExecuteAsync(OptOutSql, new { Phone = phone, Source = source, Now = now }, ct);

    public Task<int> OptOutAsync(string phone, string source, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(uow => OptOutAsync(uow, phone, source, now, ct), ct);

    public Task<int> OptInAsync(UnitOfWork uow, string phone, CancellationToken ct) => uow.ExecuteAsync(OptInSql, new { Phone = phone }, ct);

    // -- Retention and erasure (Privacy, issue 16): the owner unlinks its own rows ---------------------------------

    // Messages still to send keep what they need; finished ones keep kind, status, segments, branch and dates.
    static string BlankSentSql(long? patronId) => $"""
        update sms_outbox set body = '', to_number = null, patron_id = null
        where (body <> '' or to_number is not null or patron_id is not null) {(patronId is null ? "" : "and patron_id = @PatronId")}
          and status not in ('pending', 'sending') and created_at < @Before
        """;

    /// <summary>Sent or failed messages created before <paramref name="before"/> lose their text, number and patron.</summary>
    public static Task<int> BlankSentAsync(UnitOfWork uow, DateTimeOffset before, long? patronId, CancellationToken ct) =>
        uow.ExecuteAsync(BlankSentSql(patronId), new { Before = before, PatronId = patronId }, ct);

    const string EraseSql = """
        update sms_outbox set body = '', to_number = null, patron_id = null,
            status = case when status = 'pending' then 'skipped' else status end
        where patron_id = @PatronId or (@Phone is not null and to_number = @Phone)
        """;
    const string ForgetOptOutSql = "delete from sms_opt_outs where phone = @Phone and not exists (select 1 from patrons where phone = @Phone and id <> @PatronId)";

    /// <summary>
    /// Erasure: every message to the patron (or their number) loses its text and number, one still waiting is
    /// not sent; their opt-out goes unless another patron shares the number.
    /// </summary>
    public static async Task<int> EraseAsync(UnitOfWork uow, long patronId, string? phone, CancellationToken ct)
    {
        var n = await uow.ExecuteAsync(EraseSql, new { PatronId = patronId, Phone = phone }, ct);
        if (phone is not null) await uow.ExecuteAsync(ForgetOptOutSql, new { PatronId = patronId, Phone = phone }, ct);
        return n;
    }

    // -- Past activity (Features/Demo writes four weeks of history into an empty database) --------------------------

    const string PastSql = """
        insert into sms_outbox (patron_id, kind, body, segments, status, attempts, not_before, next_attempt_at, created_at, updated_at, sent_at)
        values (@PatronId, @Kind, @Body, @Segments, @Status, 1, @At, @At, @At, @At, @At)
        """;

    /// <summary>A message sent in the past, with how it ended (delivered, undelivered, failed).</summary>
    public static Task<int> InsertPastAsync(UnitOfWork uow, long patronId, string kind, string body, int segments, string status, DateTimeOffset at,
        CancellationToken ct) =>
        uow.ExecuteAsync(PastSql, new { PatronId = patronId, Kind = kind, Body = body, Segments = segments, Status = status, At = at }, ct);
}

/// <summary>A row of the outbox as staff see it (GET /api/sms-outbox).</summary>
internal sealed class OutboxItem
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Body { get; init; } = "";
    public SmsStatus Status { get; init; }
    /// <summary>Why it was skipped or failed, or what went wrong last (in French, or Twilio's code and words).</summary>
    public string? Reason { get; init; }
    public string? ToNumber { get; init; }
    public bool Urgent { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public string? ProviderSid { get; init; }
    public string? ProviderStatus { get; init; }
    public string? PatronCardNumber { get; init; }
    public string? PatronName { get; init; }
}
