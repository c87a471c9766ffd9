using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>An SMS to send to a patron, queued with the event that causes it.</summary>
/// <param name="Urgent">Urgent messages ignore quiet hours (e.g. a reply to an inbound SMS).</param>
/// <param name="DedupeKey">When set, a second message with the same key is dropped: reminders are never sent twice.</param>
internal sealed record OutboxMessage(long PatronId, string Kind, string Body, DateTimeOffset NotBefore, bool Urgent = false, string? DedupeKey = null);

internal sealed class OutboxStore
{
    const string EnqueueSql = """
        insert into sms_outbox (patron_id, to_number, kind, body, urgent, status, dedupe_key, not_before, next_attempt_at, created_at, updated_at)
        select p.id, p.phone, @Kind, @Body, @Urgent, 'pending', @DedupeKey, @NotBefore, @NotBefore, @Now, @Now
        from patrons p where p.id = @PatronId
        on conflict (dedupe_key) do nothing
        """;

    /// <summary>Queues the message in the caller's unit of work; returns false when its dedupe key was already used.</summary>
    public async Task<bool> EnqueueAsync(UnitOfWork uow, OutboxMessage message, DateTimeOffset now, CancellationToken ct) =>
        await uow.ExecuteAsync(EnqueueSql, new
        {
            message.PatronId, message.Kind, message.Body, message.Urgent, message.DedupeKey, message.NotBefore, Now = now,
        }, ct) == 1;
}
