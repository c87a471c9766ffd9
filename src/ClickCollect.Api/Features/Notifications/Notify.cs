using System.Globalization;
using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>
/// The events that send a patron an SMS. Each call queues the message in the caller's unit of work,
/// so it is committed, or rolled back, with the change that causes it (DESIGN "Notifications").
/// Dedupe keys make a second call for the same event a no-op.
/// </summary>
internal sealed class Notify(NotificationStore store, OutboxStore outbox)
{
    public static string AppointmentReminderKey(long appointmentId) => $"{SmsKinds.AppointmentReminder}:{appointmentId}";

    public static string HoldExpiringKey(long holdId, DateOnly deadline) =>
        $"{SmsKinds.HoldExpiring}:{holdId}:{deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>Picked and staged (HoldStore.MarkReadyAsync): where, and until when.</summary>
    public async Task<bool> HoldReadyAsync(UnitOfWork uow, long holdId, DateTimeOffset now, CancellationToken ct)
    {
        if (await store.HoldAsync(uow, holdId, ct) is not { Status: HoldStatus.Ready, PickupDeadline: { } deadline } hold) return false;
        return await outbox.EnqueueAsync(uow, new OutboxMessage(hold.PatronId, SmsKinds.HoldReady,
            Messages.HoldReady(hold.Title, hold.PickupPointName, deadline), now,
            DedupeKey: $"{SmsKinds.HoldReady}:{holdId}", BranchId: hold.BranchId), now, ct);
    }

    /// <summary>The day before a Ready hold's last day (the reminder job).</summary>
    public async Task<bool> HoldExpiringAsync(UnitOfWork uow, long holdId, DateTimeOffset now, CancellationToken ct)
    {
        if (await store.HoldAsync(uow, holdId, ct) is not { Status: HoldStatus.Ready, PickupDeadline: { } deadline } hold) return false;
        return await outbox.EnqueueAsync(uow, new OutboxMessage(hold.PatronId, SmsKinds.HoldExpiring,
            Messages.HoldExpiring(hold.Title, hold.PickupPointName, deadline), now,
            DedupeKey: HoldExpiringKey(holdId, deadline), BranchId: hold.BranchId), now, ct);
    }

    /// <summary>
    /// For the counter: the copy allocated to the hold was not on the shelf. Call it after the hold has
    /// been re-allocated (or queued again), in the same unit of work: the text says which it was.
    /// </summary>
    public async Task<bool> CopyNotFoundAsync(UnitOfWork uow, long holdId, long missingCopyId, DateTimeOffset now, CancellationToken ct)
    {
        if (await store.HoldAsync(uow, holdId, ct) is not { } hold || !HoldStatuses.Active.Contains(hold.Status)) return false;
        var anotherCopy = HoldStatuses.Allocated.Contains(hold.Status);
        // Sent once staff can no longer take the report back (HoldStore.NotFoundUndoWindow).
        return await outbox.EnqueueAsync(uow, new OutboxMessage(hold.PatronId, SmsKinds.CopyNotFound,
            Messages.CopyNotFound(hold.Title, anotherCopy), now + HoldStore.NotFoundUndoWindow,
            DedupeKey: $"{SmsKinds.CopyNotFound}:{holdId}:{missingCopyId}", BranchId: hold.BranchId), now, ct);
    }

    /// <summary>The "not on the shelf" report was taken back: its SMS, still waiting, is not sent.</summary>
    public Task<int> CopyFoundAgainAsync(UnitOfWork uow, long holdId, long copyId, CancellationToken ct) =>
        outbox.ForgetUnsentAsync(uow, $"{SmsKinds.CopyNotFound}:{holdId}:{copyId}", ct);

    /// <summary>
    /// The library system took away the copy the hold counted on and no other could be given (issue 12);
    /// <paramref name="noOtherCopy"/>: the title has no copy left that could ever serve it.
    /// </summary>
    public async Task<bool> CopyUnavailableAsync(UnitOfWork uow, long holdId, long copyId, bool noOtherCopy, DateTimeOffset now, CancellationToken ct)
    {
        if (await store.HoldAsync(uow, holdId, ct) is not { } hold || !HoldStatuses.Active.Contains(hold.Status)) return false;
        return await outbox.EnqueueAsync(uow, new OutboxMessage(hold.PatronId, SmsKinds.CopyUnavailable,
            Messages.CopyUnavailable(hold.Title, noOtherCopy), now,
            DedupeKey: $"{SmsKinds.CopyUnavailable}:{holdId}:{copyId}", BranchId: hold.BranchId), now, ct);
    }

    /// <summary>
    /// Booked (AppointmentStore.BookAsync), told from the notice the booking made itself (<see cref="NotificationStore.BookedNotice"/>:
    /// no read, #17). <paramref name="urgent"/>: the patron booked it just now, so quiet hours do not hold it back.
    /// </summary>
    public Task<bool> AppointmentBookedAsync(UnitOfWork uow, AppointmentNotice a, bool urgent, DateTimeOffset now, CancellationToken ct) =>
        outbox.EnqueueAsync(uow, AppointmentBooked(a, urgent, now), now, ct, a.Recipient);

    /// <summary>
    /// <see cref="AppointmentBookedAsync"/>'s row, for the booking's own statement to insert (PostgreSQL, #17: see
    /// <see cref="OutboxStore.EnqueueFromSql"/>); its dedupe key, which holds the appointment's id, is
    /// <see cref="AppointmentBookedKeySql"/> there. <paramref name="a"/>'s id is not read.
    /// </summary>
    public OutboxRow AppointmentBookedRow(AppointmentNotice a, bool urgent, DateTimeOffset now) =>
        outbox.Row(AppointmentBooked(a, urgent, now), a.Recipient!, now);

    /// <summary><see cref="AppointmentBookedAsync"/>'s dedupe key as SQL, from <paramref name="appointmentId"/> (an SQL expression).</summary>
    public static string AppointmentBookedKeySql(string appointmentId) => $"'{SmsKinds.AppointmentBooked}:' || {appointmentId}";

    static OutboxMessage AppointmentBooked(AppointmentNotice a, bool urgent, DateTimeOffset now) =>
        new(a.PatronId, SmsKinds.AppointmentBooked, Messages.AppointmentBooked(a.SlotStart, SmsRules.Zone(a.TimeZone), a.PickupPointName, (int)a.Items),
            now, urgent, $"{SmsKinds.AppointmentBooked}:{a.Id}", a.BranchId);

    /// <summary>Cancelled (AppointmentStore.CancelAsync): a queued reminder is dropped, and the patron told unless they cancelled by SMS.</summary>
    public async Task AppointmentCancelledAsync(UnitOfWork uow, long appointmentId, CancelledBy by, DateTimeOffset now, CancellationToken ct)
    {
        await outbox.SkipPendingAsync(uow, AppointmentReminderKey(appointmentId), "rendez-vous annulé", now, ct);
        if (by == CancelledBy.PatronBySms || await store.AppointmentAsync(uow, appointmentId, ct) is not { } a) return;
        await outbox.EnqueueAsync(uow, new OutboxMessage(a.PatronId, SmsKinds.AppointmentCancelled,
            Messages.AppointmentCancelled(a.SlotStart, SmsRules.Zone(a.TimeZone), a.PickupPointName), now, by == CancelledBy.Patron,
            $"{SmsKinds.AppointmentCancelled}:{appointmentId}", a.BranchId), now, ct, a.Recipient);
    }

    /// <summary>
    /// Moved to another slot (AppointmentStore.MoveAsync): the patron is told the new time, and a reminder still
    /// queued for the old time is dropped, so the reminder job queues one for the new time.
    /// </summary>
    public async Task<bool> AppointmentMovedAsync(UnitOfWork uow, long appointmentId, bool urgent, DateTimeOffset now, CancellationToken ct)
    {
        await outbox.ForgetPendingAsync(uow, AppointmentReminderKey(appointmentId), ct);
        if (await store.AppointmentAsync(uow, appointmentId, ct) is not { Status: AppointmentStatus.Booked } a) return false;
        return await outbox.EnqueueAsync(uow, new OutboxMessage(a.PatronId, SmsKinds.AppointmentMoved,
            Messages.AppointmentMoved(a.SlotStart, SmsRules.Zone(a.TimeZone), a.PickupPointName, (int)a.Items), now, urgent,
            $"{SmsKinds.AppointmentMoved}:{appointmentId}:{a.SlotStart.ToUnixTimeSeconds()}", a.BranchId), now, ct, a.Recipient);
    }

    /// <summary>The day before a booked appointment (the reminder job).</summary>
    public async Task<bool> AppointmentReminderAsync(UnitOfWork uow, long appointmentId, DateTimeOffset now, CancellationToken ct)
    {
        if (await store.AppointmentAsync(uow, appointmentId, ct) is not { Status: AppointmentStatus.Booked } a) return false;
        return await outbox.EnqueueAsync(uow, new OutboxMessage(a.PatronId, SmsKinds.AppointmentReminder,
            Messages.AppointmentReminder(a.SlotStart, SmsRules.Zone(a.TimeZone), a.PickupPointName), now,
            DedupeKey: AppointmentReminderKey(appointmentId), BranchId: a.BranchId), now, ct, a.Recipient);
    }
}
