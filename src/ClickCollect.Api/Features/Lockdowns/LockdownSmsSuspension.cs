using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Features.Notifications;

namespace ClickCollect.Api.Features.Lockdowns;

/// <summary>
/// Asked by the SMS dispatcher just before each send: an overdue reminder queued before a lockdown
/// that suspends reminders is held back (kept, marked skipped with the reason) rather than sent during it.
/// </summary>
internal sealed class LockdownSmsSuspension(LockdownStore lockdowns) : ISmsSuspension
{
    static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(BranchRequest.DefaultTimeZone);

    public async Task<string?> ReasonAsync(SmsSuspensionQuery message, DateTimeOffset now, CancellationToken ct)
    {
        if (message.Kind != SmsKinds.OverdueReminder) return null;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Zone).DateTime);
        var periods = await lockdowns.PeriodsAsync(ct);
        var inForce = message.BranchId is { } branch ? periods.Where(p => p.AppliesTo(branch)) : periods.Where(p => p.BranchIds is null);
        return LockdownRules.SuspendsReminders(today, inForce) ? "Rappel suspendu : confinement en cours." : null;
    }
}
