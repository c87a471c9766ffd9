using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Caching;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>The pure rules of sending: who may get an SMS, quiet hours, the wait before a retry.</summary>
internal static class SmsRules
{
    public const string DefaultTimeZone = "Europe/Paris";

    public static TimeZoneInfo Zone(string? id) => TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrEmpty(id) ? DefaultTimeZone : id);

    /// <summary>Why this patron gets no SMS (kept on the row for staff), or null when one may be sent.</summary>
    public static string? SkipReason(string? phone, bool consent, bool optedOut)
    {
        if (string.IsNullOrWhiteSpace(phone)) return "pas de numéro de téléphone";
        if (!consent) return "pas de consentement aux SMS";
        if (optedOut) return "désinscrit par STOP";
        if (NumberReasons.TryGet(phone, out var known)) return known;
        var reason = !PhoneNumber.TryNormalise(phone, out var e164) ? "numéro non reconnu : pas de SMS"
            : !PhoneNumber.IsMobile(e164) ? "numéro fixe : pas de SMS"
            : null;
        NumberReasons.Remember(phone, reason);
        return reason;
    }

    // What a number itself allows, by number: libphonenumber parses it twice (25-40 µs), and every booking queues its
    // confirmation in the single writer's turn on SQLite (#17). A number's answer never changes.
    static readonly BoundedMemory<string?> NumberReasons = new(10_000);

    /// <summary>For tests: the number's answer is remembered.</summary>
    internal static bool RemembersNumber(string phone) => NumberReasons.TryGet(phone, out _);

    /// <summary>
    /// <paramref name="at"/> itself outside quiet hours; otherwise the moment they end, in the branch's
    /// zone (a window that crosses midnight, 20:00–08:30, ends the next morning).
    /// </summary>
    public static DateTimeOffset QuietUntil(DateTimeOffset at, TimeZoneInfo zone, TimeOnly start, TimeOnly end)
    {
        if (start == end) return at;
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        var time = TimeOnly.FromDateTime(local);
        var date = DateOnly.FromDateTime(local);
        bool quiet;
        DateOnly endDate;
        if (start > end)
        {
            quiet = time >= start || time < end;
            endDate = time >= start ? date.AddDays(1) : date;
        }
        else
        {
            quiet = time >= start && time < end;
            endDate = date;
        }
        return quiet ? SlotCalculator.ToUtc(endDate.ToDateTime(end), zone) : at;
    }

    /// <summary>The wait after <paramref name="attempts"/> failed attempts: base, 2×base, 4×base… up to the maximum.</summary>
    public static TimeSpan RetryDelay(int attempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ticks = baseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
