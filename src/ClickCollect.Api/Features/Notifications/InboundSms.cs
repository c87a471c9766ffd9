using System.Globalization;
using System.Text;
using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Infrastructure.Database;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>What a patron can text us.</summary>
internal enum InboundCommand { Help, Here, Cancel, CancelYes, Yes, Stop, Start }

/// <summary>
/// Inbound SMS (POST /webhooks/twilio/sms): "ICI" marks the arrival for today's appointment (the rules
/// of POST /api/appointments/{id}/arrival), "ANNULER" asks to confirm the cancellation of the next
/// appointment and "OUI" (or "ANNULER OUI") confirms it, "STOP"/"ARRET" opts the number out, "START"
/// back in; anything else gets a short help. The answer is the reply text.
/// </summary>
internal sealed class InboundSms(Db db, InboxStore inbox, NotificationStore notices, AppointmentStore appointments, OutboxStore outbox,
    IOptions<AppointmentOptions> appointmentOptions, IOptions<SmsOptions> smsOptions)
{
    /// <summary>The command in a message body, whatever its case, accents, spaces or final punctuation.</summary>
    public static InboundCommand Parse(string? body)
    {
        var words = Simplify(body ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words switch
        {
            ["ICI"] => InboundCommand.Here,
            ["ANNULER"] => InboundCommand.Cancel,
            ["ANNULER", "OUI"] => InboundCommand.CancelYes,
            ["OUI"] => InboundCommand.Yes,
            ["STOP"] or ["ARRET"] or ["STOP", "SMS"] or ["ARRET", "SMS"] => InboundCommand.Stop,
            ["START"] => InboundCommand.Start,
            _ => InboundCommand.Help,
        };
    }

    static string Simplify(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var ch in text.Trim().Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            builder.Append(char.IsLetterOrDigit(ch) ? char.ToUpperInvariant(ch) : ' ');
        }
        return builder.ToString();
    }

    /// <summary>
    /// Handles one inbound SMS; null when <paramref name="messageSid"/> was already handled (a replay,
    /// or Twilio trying again): nothing is done and nothing is answered (#14 item 6).
    /// </summary>
    public async Task<string?> AnswerAsync(string from, string? body, string? messageSid, DateTimeOffset now, CancellationToken ct)
    {
        var command = Parse(body);
        await using var uow = await db.WriteAsync(ct);
        if (messageSid is not null && !await WebhookMessages.ClaimAsync(uow, messageSid, WebhookMessages.Inbound, now, ct)) return null;
        var reply = command switch
        {
            InboundCommand.Stop => await StopAsync(uow, from, now, ct),
            InboundCommand.Start => await StartAsync(uow, from, ct),
            _ when !await inbox.IsPatronPhoneAsync(uow, from, ct) => Messages.UnknownNumber,
            InboundCommand.Here => await HereAsync(uow, from, now, ct),
            InboundCommand.Cancel => await AskToCancelAsync(uow, from, now, ct),
            InboundCommand.CancelYes or InboundCommand.Yes => await ConfirmCancelAsync(uow, from, command, now, ct),
            _ => Messages.Help,
        };
        await uow.CommitAsync(ct);
        return reply;
    }

    async Task<string> StopAsync(UnitOfWork uow, string from, DateTimeOffset now, CancellationToken ct)
    {
        await outbox.OptOutAsync(uow, from, "sms", now, ct);
        await InboxStore.ForgetConfirmationAsync(uow, from, ct);
        return Messages.OptedOut;
    }

    async Task<string> StartAsync(UnitOfWork uow, string from, CancellationToken ct)
    {
        await outbox.OptInAsync(uow, from, ct);
        return Messages.OptedIn;
    }

    async Task<string> HereAsync(UnitOfWork uow, string from, DateTimeOffset now, CancellationToken ct)
    {
        var o = appointmentOptions.Value;
        var today = await notices.AppointmentsForPhoneAsync(uow, from, now - o.NoShowGrace, now.AddDays(1), ct);
        string? arrivedAt = null;
        foreach (var a in today.Where(a => a.Status == AppointmentStatus.Booked))
            if (await appointments.ArriveAsync(uow, a.Id, now, o.ArrivalOpensBefore, o.NoShowGrace, ct) == 1)
                arrivedAt ??= a.PickupPointName;
        if (arrivedAt is not null) return Messages.Arrived(arrivedAt);
        if (today.Any(a => a.Status == AppointmentStatus.Arrived)) return Messages.AlreadyArrived;
        var later = today.FirstOrDefault(a => a.Status == AppointmentStatus.Booked
            && SlotDate(a.SlotStart, a.TimeZone) == SlotDate(now, a.TimeZone));
        return later is null ? Messages.NoAppointmentToday : Messages.TooEarly(later.SlotStart - o.ArrivalOpensBefore, SmsRules.Zone(later.TimeZone));
    }

    static DateOnly SlotDate(DateTimeOffset instant, string zone) => Slots.SlotCalculator.LocalDate(instant, SmsRules.Zone(zone));

    async Task<string> AskToCancelAsync(UnitOfWork uow, string from, DateTimeOffset now, CancellationToken ct)
    {
        var next = (await notices.AppointmentsForPhoneAsync(uow, from, now, now.AddYears(1), ct))
            .FirstOrDefault(a => a.Status == AppointmentStatus.Booked && a.SlotStart > now);
        if (next is null) return Messages.NoAppointmentToCancel;
        await inbox.AskConfirmationAsync(uow, from, next.Id, now + smsOptions.Value.ConfirmationTimeout, now, ct);
        return Messages.ConfirmCancel(next.SlotStart, SmsRules.Zone(next.TimeZone), next.PickupPointName);
    }

    async Task<string> ConfirmCancelAsync(UnitOfWork uow, string from, InboundCommand command, DateTimeOffset now, CancellationToken ct)
    {
        var appointmentId = await inbox.TakeConfirmationAsync(uow, from, now, ct);
        if (appointmentId is null)
            return command == InboundCommand.CancelYes ? await AskToCancelAsync(uow, from, now, ct) : Messages.NothingToConfirm;
        var a = (await notices.AppointmentAsync(uow, appointmentId.Value, ct))!;
        if (await appointments.CancelAsync(uow, a.Id, now, CancelledBy.PatronBySms, ct) == 0) return Messages.NoLongerActive;
        return Messages.Cancelled(a.SlotStart, SmsRules.Zone(a.TimeZone));
    }
}
