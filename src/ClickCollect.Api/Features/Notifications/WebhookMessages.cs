using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>
/// Twilio calls already handled (#14 item 6). A signature proves who made a request, not when: a
/// captured signed "OUI" replayed next month would cancel a newer appointment. So each inbound SMS is
/// handled once per MessageSid, and each delivery report once per MessageSid and status, in the same
/// transaction as what it does.
/// REVIEW: rows are kept (a few dozen bytes each, no personal data): forgetting one would let its
/// replay work again, since Twilio signs no timestamp.
/// </summary>
internal static class WebhookMessages
{
    public const string Inbound = "inbound";

    public static string Status(string providerStatus) => $"status:{providerStatus}";

    const string ClaimSql = """
        insert into webhook_messages (message_sid, event, received_at) values (@Sid, @Event, @Now)
        on conflict (message_sid, event) do nothing
        """;

    /// <summary>True the first time <paramref name="sid"/> comes with <paramref name="messageEvent"/>; false for a replay.</summary>
    public static async Task<bool> ClaimAsync(UnitOfWork uow, string sid, string messageEvent, DateTimeOffset now, CancellationToken ct) =>
        await uow.ExecuteAsync(ClaimSql, new { Sid = sid, Event = messageEvent, Now = now }, ct) == 1;
}
