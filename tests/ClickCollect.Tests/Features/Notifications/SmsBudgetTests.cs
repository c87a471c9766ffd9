using ClickCollect.Api.Features.Loans;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Features.SurpriseSelections;
using Xunit.Abstractions;

namespace ClickCollect.Tests.Features.Notifications;

/// <summary>
/// What each SMS costs (issue 15 item 5), computed on the texts as they leave, with realistic long
/// titles and places: at most 2 segments each, 1 for the frequent ones (ready, reminder, booked).
/// </summary>
public sealed class SmsBudgetTests(ITestOutputHelper output)
{
    static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    static readonly DateTimeOffset Slot = new(2026, 9, 30, 8, 0, 0, TimeSpan.Zero); // mercredi 30 septembre à 10h00, the longest French date
    static readonly DateOnly Deadline = new(2026, 9, 30);

    // A long title with letters GSM-7 lacks (ê, œ, ç) and typography (’, –); places as the demo network names them, and longer.
    const string Title = "La Bête humaine – Les Rougon-Macquart, tome 17 : l’œuvre de Zola expliquée aux lycéens";
    static readonly string[] Places =
    [
        "Médiathèque des Prés-Saint-Jean – Accueil",
        "Médiathèque centrale – Jeunesse",
        "Bibliobus – Les Aubépins – école",
        "Espace culturel François-Mitterrand – Accueil",
    ];

    /// <summary>Kind, budget, and the text for a place.</summary>
    static readonly (string Kind, int Budget, Func<string, string> Text)[] Templates =
    [
        ("holdReady", 1, p => Messages.HoldReady(Title, p, Deadline)),
        ("appointmentReminder", 1, p => Messages.AppointmentReminder(Slot, Paris, p)),
        ("appointmentBooked", 1, p => Messages.AppointmentBooked(Slot, Paris, p, 12)),
        ("holdExpiring", 1, p => Messages.HoldExpiring(Title, p, Deadline)),
        ("appointmentMoved", 2, p => Messages.AppointmentMoved(Slot, Paris, p, 12)),
        ("appointmentCancelled", 2, p => Messages.AppointmentCancelled(Slot, Paris, p)),
        ("copyNotFound (another copy)", 2, _ => Messages.CopyNotFound(Title, true)),
        ("copyNotFound (queued)", 2, _ => Messages.CopyNotFound(Title, false)),
        ("copyUnavailable (gone)", 2, _ => Messages.CopyUnavailable(Title, true)),
        ("copyUnavailable (queued)", 2, _ => Messages.CopyUnavailable(Title, false)),
        ("selectionReady", 2, p => ConfirmSelection.Message(12, p, null)),
        ("overdue", 2, _ => OverdueReminders.Message(Title, Deadline, 3)),
        ("overdue (21 days)", 2, _ => OverdueReminders.Message(Title, Deadline, 21)),
        ("reply: arrived", 1, p => Messages.Arrived(p)),
        ("reply: too early", 1, _ => Messages.TooEarly(Slot, Paris)),
        ("reply: confirm cancel", 2, p => Messages.ConfirmCancel(Slot, Paris, p)),
        ("reply: cancelled", 1, _ => Messages.Cancelled(Slot, Paris)),
        ("reply: help", 1, _ => Messages.Help),
        ("reply: unknown number", 1, _ => Messages.UnknownNumber),
        ("reply: opted out", 1, _ => Messages.OptedOut),
        ("reply: opted in", 1, _ => Messages.OptedIn),
        ("reply: no appointment today", 1, _ => Messages.NoAppointmentToday),
        ("reply: already arrived", 1, _ => Messages.AlreadyArrived),
        ("reply: nothing to cancel", 1, _ => Messages.NoAppointmentToCancel),
        ("reply: nothing to confirm", 1, _ => Messages.NothingToConfirm),
        ("reply: no longer active", 1, _ => Messages.NoLongerActive),
    ];

    [Theory]
    [InlineData("Médiathèque centrale – Adultes", "à la Médiathèque centrale – Adultes")]
    [InlineData("Bibliobus – Place de Bourgogne", "au Bibliobus – Place de Bourgogne")]
    [InlineData("Espace jeunes", "à l'Espace jeunes")]
    [InlineData("Le Phare", "au Phare")]
    [InlineData("Les Halles", "aux Halles")]
    [InlineData("Saint-Rémy", "à Saint-Rémy")]
    public void Places_get_their_article(string place, string at) => Assert.Equal(at, SmsText.At(place));

    [Fact]
    public void Typography_and_letters_gsm7_lacks_never_force_ucs2()
    {
        var sms = SmsText.ForSms("« L’Œuvre » – tome 2… Bête, garçon, château");
        Assert.Equal("\"L'OEuvre\" - tome 2... Bete, garcon, chateau", sms);
        Assert.True(SmsSegments.IsGsm7(sms));
    }

    [Fact]
    public void Every_message_keeps_to_its_segment_budget_with_long_titles_and_places()
    {
        var over = new List<string>();
        foreach (var (kind, budget, text) in Templates)
        {
            var worst = Places.Select(text).MaxBy(t => (SmsSegments.Count(t), t.Length))!;
            var segments = SmsSegments.Count(worst);
            output.WriteLine($"{kind,-30} {(SmsSegments.IsGsm7(worst) ? "GSM-7" : "UCS-2"),-6} {worst.Length,4} chars {segments} segment(s)  {worst}");
            if (segments > budget) over.Add($"{kind}: {segments} > {budget}: {worst}");
        }
        Assert.Empty(over);
    }
}
