using System.Globalization;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>
/// The texts patrons receive, in French, short (most fit in two SMS segments: accents such as "ê"
/// switch a message to UCS-2, 70 characters a segment). Dates and times are the branch's local ones.
/// </summary>
internal static class Messages
{
    static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    const int MaxTitle = 40;

    /// <summary>"mercredi 11 mars"</summary>
    public static string Day(DateOnly date) => date.ToString("dddd d MMMM", French);

    /// <summary>"mercredi 11 mars à 10h00", in the branch's zone.</summary>
    public static string DayAndTime(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("dddd d MMMM 'à' HH'h'mm", French);

    /// <summary>"10h00", in the branch's zone.</summary>
    public static string Time(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("HH'h'mm", French);

    static string Quote(string title) => "« " + (title.Length <= MaxTitle ? title : title[..(MaxTitle - 1)].TrimEnd() + "…") + " »";

    static string Documents(int count) => count == 1 ? "1 document" : $"{count} documents";

    public static string HoldReady(string title, string pickupPoint, DateOnly deadline) =>
        $"Votre document {Quote(title)} est prêt à {pickupPoint}, à retirer au plus tard le {Day(deadline)}.";

    public static string HoldExpiring(string title, string pickupPoint, DateOnly deadline) =>
        $"Dernier jour demain : {Quote(title)} vous attend à {pickupPoint} jusqu'au {Day(deadline)} inclus.";

    public static string CopyNotFound(string title, bool anotherCopyComing) => anotherCopyComing
        ? $"{Quote(title)} n'a pas été trouvé en rayon. Un autre exemplaire vous est réservé : nous vous prévenons dès qu'il est prêt."
        : $"{Quote(title)} n'a pas été trouvé en rayon. Votre réservation reste en attente du prochain exemplaire disponible.";

    public static string CopyUnavailable(string title, bool noOtherCopy) => noOtherCopy
        ? $"{Quote(title)} n'est plus disponible dans le réseau (retiré ou perdu). La bibliothèque revient vers vous au sujet de votre réservation."
        : $"L'exemplaire de {Quote(title)} prévu pour vous n'est plus disponible. Votre réservation attend le prochain exemplaire.";

    public static string AppointmentBooked(DateTimeOffset slot, TimeZoneInfo zone, string pickupPoint, int items) =>
        $"Rendez-vous confirmé le {DayAndTime(slot, zone)} à {pickupPoint} ({Documents(items)}). Répondez ICI à votre arrivée, ANNULER pour annuler.";

    public static string AppointmentCancelled(DateTimeOffset slot, TimeZoneInfo zone, string pickupPoint) =>
        $"Votre rendez-vous du {DayAndTime(slot, zone)} à {pickupPoint} est annulé.";

    public static string AppointmentMoved(DateTimeOffset slot, TimeZoneInfo zone, string pickupPoint, int items) =>
        $"Rendez-vous déplacé au {DayAndTime(slot, zone)} à {pickupPoint} ({Documents(items)}). Répondez ICI à votre arrivée, ANNULER pour annuler.";

    public static string AppointmentReminder(DateTimeOffset slot, TimeZoneInfo zone, string pickupPoint) =>
        $"Rappel : rendez-vous demain, {DayAndTime(slot, zone)}, à {pickupPoint}. Répondez ICI à votre arrivée, ANNULER pour annuler.";

    // Answers to inbound SMS (TwiML, not the outbox: Twilio sends them as the reply).
    public const string Help = "Bibliothèques : répondez ICI à votre arrivée au rendez-vous, ANNULER pour annuler le prochain, STOP pour ne plus recevoir de SMS.";
    public const string UnknownNumber = "Ce numéro n'est lié à aucune carte de bibliothèque. Appelez votre bibliothèque pour l'ajouter.";
    public const string OptedOut = "Vous ne recevrez plus de SMS des bibliothèques. Répondez START pour les recevoir de nouveau.";
    public const string OptedIn = "Les SMS des bibliothèques sont réactivés. Répondez STOP pour les arrêter.";
    public const string NoAppointmentToday = "Nous ne trouvons pas de rendez-vous en cours pour ce numéro aujourd'hui.";
    public const string AlreadyArrived = "C'est déjà noté : nous arrivons avec vos documents.";
    public const string NoAppointmentToCancel = "Vous n'avez pas de rendez-vous à venir.";
    public const string NothingToConfirm = "Aucune annulation en attente. Répondez ANNULER pour annuler votre prochain rendez-vous.";
    public const string NoLongerActive = "Ce rendez-vous n'est plus actif : rien n'a été annulé.";

    public static string Arrived(string pickupPoint) => $"Merci, c'est noté : nous vous apportons vos documents à {pickupPoint}.";

    public static string TooEarly(DateTimeOffset opensAt, TimeZoneInfo zone) =>
        $"Un peu tôt : répondez ICI à partir de {Time(opensAt, zone)}.";

    public static string ConfirmCancel(DateTimeOffset slot, TimeZoneInfo zone, string pickupPoint) =>
        $"Annuler le rendez-vous du {DayAndTime(slot, zone)} à {pickupPoint} ? Répondez OUI pour confirmer.";

    public static string Cancelled(DateTimeOffset slot, TimeZoneInfo zone) =>
        $"Rendez-vous du {DayAndTime(slot, zone)} annulé. À bientôt !";
}
