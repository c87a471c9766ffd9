namespace ClickCollect.Api.Features.Notifications;

/// <summary>
/// Where an outbox row stands. Pending → Sending (claimed, being handed to Twilio) → Sent (Twilio
/// has it) → Delivered / Undelivered / Failed (status callback). Skipped: no consent, no phone, opted
/// out, suspended by a lockdown. NotConfigured: no Twilio credentials, nothing left the machine.
/// </summary>
internal enum SmsStatus { Pending, Sending, Sent, Delivered, Undelivered, Failed, Skipped, NotConfigured }

/// <summary>The kinds of message (<c>sms_outbox.kind</c>). Other features may add their own.</summary>
internal static class SmsKinds
{
    public const string HoldReady = "holdReady";
    public const string HoldExpiring = "holdExpiring";
    public const string CopyNotFound = "copyNotFound";
    /// <summary>The library system withdrew, lost or lent the copy a hold counted on (issue 12).</summary>
    public const string CopyUnavailable = "copyUnavailable";
    public const string AppointmentBooked = "appointmentBooked";
    public const string AppointmentCancelled = "appointmentCancelled";
    public const string AppointmentReminder = "appointmentReminder";
    public const string AppointmentMoved = "appointmentMoved";
    /// <summary>Enqueued by the loans feature at the configured offsets after a due date.</summary>
    public const string OverdueReminder = "overdueReminder";
    /// <summary>Enqueued by the lockdowns feature to patrons with loans.</summary>
    public const string LockdownAnnouncement = "lockdownAnnouncement";
}

/// <summary>
/// Lockdowns may suspend reminders (DESIGN "Fines, reminders and lockdowns"). The dispatcher asks
/// just before sending, so a reminder queued before the lockdown opened is not sent either. The
/// lockdowns feature registers the real answer (<c>AddSingleton&lt;ISmsSuspension, …&gt;</c>); until
/// then nothing is suspended.
/// </summary>
internal interface ISmsSuspension
{
    /// <summary>Why this message must not go now (kept on the row, status skipped), or null to send it.</summary>
    Task<string?> ReasonAsync(SmsSuspensionQuery message, DateTimeOffset now, CancellationToken ct);
}

/// <param name="BranchId">The branch the message is about (else the patron's home branch); null when neither is known.</param>
internal sealed record SmsSuspensionQuery(long OutboxId, long? PatronId, long? BranchId, string Kind);

internal sealed class NoSmsSuspension : ISmsSuspension
{
    public Task<string?> ReasonAsync(SmsSuspensionQuery message, DateTimeOffset now, CancellationToken ct) => Task.FromResult<string?>(null);
}
