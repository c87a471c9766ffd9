using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>
/// Queues the day-before SMS: "your appointment is tomorrow" and "your hold's last day is tomorrow".
/// In each branch's zone, from Sms:ReminderTime until quiet hours start (a reminder queued later would
/// reach the patron on the day itself). Dedupe keys make it once per appointment and per deadline,
/// however many instances run the job.
/// </summary>
internal sealed class ReminderWorker(NotificationStore store, Notify notify, Db db, IOptions<SmsOptions> options, ClickCollectMetrics metrics, TimeProvider clock,
    ILogger<ReminderWorker> logger)
    : PeriodicWorker(clock, logger, options.Value.ReminderInterval, metrics)
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.RunInBackground ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    public override async Task RunOnceAsync(CancellationToken ct)
    {
        var queued = await QueueAsync(Clock.GetUtcNow(), ct);
        if (queued > 0) logger.LogInformation("{Count} reminders queued", queued);
    }

    /// <summary>Queues what is due now; returns how many messages were queued.</summary>
    public async Task<int> QueueAsync(DateTimeOffset now, CancellationToken ct)
    {
        var appointments = (await store.UpcomingAppointmentsAsync(now, now.AddDays(2), ct))
            .Where(a => DueTomorrow(a.TimeZone, now, SlotCalculator.LocalDate(a.SlotStart, SmsRules.Zone(a.TimeZone)), a.CreatedAt))
            .ToDictionary(a => Notify.AppointmentReminderKey(a.Id), a => a.Id);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var holds = (await store.ReadyHoldsDueAsync(today, today.AddDays(2), ct))
            .Where(h => DueTomorrow(h.TimeZone, now, h.PickupDeadline!.Value, h.ReadyAt ?? now))
            .ToDictionary(h => Notify.HoldExpiringKey(h.Id, h.PickupDeadline!.Value), h => h.Id);

        var queued = await store.QueuedKeysAsync([.. appointments.Keys, .. holds.Keys], ct);
        var count = 0;
        foreach (var (_, id) in appointments.Where(p => !queued.Contains(p.Key)))
            if (await db.WriteAsync(uow => notify.AppointmentReminderAsync(uow, id, now, ct), ct)) count++;
        foreach (var (_, id) in holds.Where(p => !queued.Contains(p.Key)))
            if (await db.WriteAsync(uow => notify.HoldExpiringAsync(uow, id, now, ct), ct)) count++;
        return count;
    }

    /// <summary>
    /// True when, in the branch's zone, <paramref name="day"/> is tomorrow, it is reminder time, and the
    /// patron was not told already today (<paramref name="toldAt"/>: a booking or "ready" made today said it all).
    /// </summary>
    bool DueTomorrow(string timeZone, DateTimeOffset now, DateOnly day, DateTimeOffset toldAt)
    {
        var o = options.Value;
        var zone = SmsRules.Zone(timeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var today = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        var reminderTime = time >= o.ReminderTime && (o.QuietHoursStart <= o.ReminderTime || time < o.QuietHoursStart);
        return reminderTime && day == today.AddDays(1) && toldAt < SlotCalculator.ToUtc(today.ToDateTime(TimeOnly.MinValue), zone);
    }
}
