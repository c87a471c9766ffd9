using System.Globalization;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>
/// The texts patrons receive, in French, written to cost one SMS segment (160 GSM-7 characters) where
/// they can: no letter GSM-7 lacks in the wording ("vous attend" rather than "est prêt"), typography
/// and such letters in titles and places turned to GSM-7 by <see cref="SmsText.ForSms"/>, places with
/// their article (<see cref="SmsText.At"/>). SmsBudgetTests holds each text to its budget. Dates and
/// times are the branch's local ones.
/// </summary>
internal static class Messages
{
    static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    const int MaxTitle = 36;

    /// <summary>"mercredi 11 mars"</summary>
    public static string Day(DateOnly date) => date.ToString("dddd d MMMM", French);

    /// <summary>"mercredi 11 mars à 10h00", in the branch's zone.</summary>
    public static string DayAndTime(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("dddd d MMMM 'à' HH'h'mm", French);

    /// <summary>"10h00", in the branch's zone.</summary>
    public static string Time(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("HH'h'mm", French);

    static string Quote(string title) => "\"" + (title.Length <= MaxTitle ? title : title[..(MaxTitle - 3)].TrimEnd() + "...") + "\"";

    static string At(string place) => SmsText.At(place);

    static string Documents(int count) => count == 1 ? "1 document" : $"{count} documents";

    public static string HoldReady(string title, string pickupPoint, DateOnly deadline) => SmsText.ForSms(
        $"Votre document {Quote(title)} vous attend {At(pickupPoint)} jusqu'au {Day(deadline)} inclus.");

    public static string HoldExpiring(string title, string pickupPoint, DateOnly deadline) => SmsText.ForSms(
        $"Demain {Day(deadline)}, dernier jour pour retirer {Quote(title)} {At(pickupPoint)}.");

    public static string CopyNotFound(string title, bool anotherCopyComing) => SmsText.ForSms(anotherCopyComing
        ? $"{Quote(title)} n'a pas été trouvé en rayon. Un autre exemplaire vous est réservé : nous vous prévenons quand il vous attend."
        : $"{Quote(title)} n'a pas été trouvé en rayon. Votre réservation attend le prochain exemplaire disponible.");

    public static string CopyUnavailable(string title, bool noOtherCopy) => SmsText.ForSms(noOtherCopy
        ? $"{Quote(title)} n'est plus disponible dans le réseau (retiré ou perdu). La bibliothèque revient vers vous au sujet de votre réservation."
        : $"L'exemplaire de {Quote(title)} prévu pour vous n'est plus disponible. Votre réservation attend le prochain exemplaire.");

    public static string AppointmentBooked(DateTimeOffset slot, TimeZoneInfo zone, string pickupPoint, int items) => SmsText.ForSms(
        $"Rendez-vous {DayAndTime(slot, zone)} {At(pickupPoint)} ({Documents(items)}). Répondez ICI en arrivant, ANNULER pour annuler.");

    public static string AppointmentCancelled(DateTimeOffset slot, TimeZoneInfo zone, string pickupPoint) => SmsText.ForSms(
        $"Votre rendez-vous du {DayAndTime(slot, zone)} {At(pickupPoint)} est annulé.");

    public static string AppointmentMoved(DateTimeOffset slot, TimeZoneInfo zone, string pickupPoint, int items) => SmsText.ForSms(
        $"Rendez-vous déplacé au {DayAndTime(slot, zone)} {At(pickupPoint)} ({Documents(items)}). Répondez ICI en arrivant, ANNULER pour annuler.");

    public static string AppointmentReminder(DateTimeOffset slot, TimeZoneInfo zone, string pickupPoint) => SmsText.ForSms(
        $"Rappel : rendez-vous demain à {Time(slot, zone)} {At(pickupPoint)}. Répondez ICI en arrivant, ANNULER pour annuler.");

    // Answers to inbound SMS (TwiML, not the outbox: Twilio sends them as the reply).
    public const string Help = "Bibliothèques : répondez ICI à votre arrivée au rendez-vous, ANNULER pour annuler le prochain, STOP pour ne plus recevoir de SMS.";
    public const string UnknownNumber = "Ce numéro n'est lié à aucune carte de bibliothèque. Appelez votre bibliothèque pour l'ajouter.";
    public const string OptedOut = "Vous ne recevrez plus de SMS des bibliothèques. Répondez START pour les recevoir de nouveau.";
    public const string OptedIn = "Les SMS des bibliothèques sont de nouveau actifs. Répondez STOP pour ne plus les recevoir.";
    public const string NoAppointmentToday = "Nous ne trouvons pas de rendez-vous en cours pour ce numéro aujourd'hui.";
    public const string AlreadyArrived = "C'est déjà noté : nous arrivons avec vos documents.";
    public const string NoAppointmentToCancel = "Vous n'avez pas de rendez-vous à venir.";
    public const string NothingToConfirm = "Aucune annulation en attente. Répondez ANNULER pour annuler votre prochain rendez-vous.";
    public const string NoLongerActive = "Ce rendez-vous n'est plus actif : rien n'a été annulé.";

    public static string Arrived(string pickupPoint) => SmsText.ForSms($"Merci, c'est noté : nous vous apportons vos documents {At(pickupPoint)}.");

    public static string TooEarly(DateTimeOffset opensAt, TimeZoneInfo zone) =>
        $"Un peu en avance : répondez ICI à partir de {Time(opensAt, zone)}.";

    public static string ConfirmCancel(DateTimeOffset slot, TimeZoneInfo zone, string pickupPoint) =>
        SmsText.ForSms($"Annuler le rendez-vous du {DayAndTime(slot, zone)} {At(pickupPoint)} ? Répondez OUI pour confirmer.");

    public static string Cancelled(DateTimeOffset slot, TimeZoneInfo zone) =>
        $"Rendez-vous du {DayAndTime(slot, zone)} annulé. Merci de nous avoir prévenus.";
}
