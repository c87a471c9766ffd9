namespace ClickCollect.Api.Features.Loans;

/// <summary>Overdue reminders (DESIGN "Fines, reminders and lockdowns"); section "OverdueReminders".</summary>
internal sealed class OverdueReminderOptions
{
    public const string Section = "OverdueReminders";

    /// <summary>Days after the due date a reminder goes out (default 3, 10 and 21).</summary>
    public int[]? OffsetsDays { get; set; }

    /// <summary>How often the job looks for reminders to queue.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    public int[] Offsets => OffsetsDays is { Length: > 0 } set ? [.. set.Distinct().Order()] : [3, 10, 21];
}

/// <summary>Which reminder a loan is owed. Pure: the due date, today and the offsets come in.</summary>
internal static class OverdueReminders
{
    /// <summary>
    /// The latest offset reached today, or null. Only the latest: a patron whose reminders were held back
    /// (a lockdown, the job stopped) gets one reminder when they resume, not every missed one at once.
    /// Reminders already queued are skipped by their dedupe key, which holds the due date, so a due date a
    /// lockdown moved starts its reminders afresh from the new date.
    /// </summary>
    public static int? OffsetReached(DateOnly dueOn, DateOnly today, IReadOnlyList<int> offsets) =>
        offsets.Where(o => dueOn.AddDays(o) <= today).Select(o => (int?)o).Max();

    public static string DedupeKey(long loanId, int offset, DateOnly dueOn) => $"overdue:{loanId}:{offset}:{dueOn:yyyy-MM-dd}";

    public static string Message(string title, DateOnly dueOn, int offset) => offset >= 21
        ? Notifications.SmsText.ForSms($"Bibliothèques : « {Short(title)} » était à rendre le {dueOn:dd/MM/yyyy}. Merci de le rapporter au plus vite ou d'appeler votre bibliothèque.")
        : Notifications.SmsText.ForSms($"Bibliothèques : « {Short(title)} » était à rendre le {dueOn:dd/MM/yyyy}. Merci de le rapporter dès que possible.");

    // An SMS is 160 characters in GSM-7 (70 with accents); long titles are cut.
    static string Short(string title) => title.Length <= 40 ? title : title[..39].TrimEnd() + "…";
}
