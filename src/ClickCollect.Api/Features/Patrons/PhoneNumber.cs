using System.Diagnostics.CodeAnalysis;
using PhoneNumbers;

namespace ClickCollect.Api.Features.Patrons;

/// <summary>
/// Phone numbers, through Google's libphonenumber: the ONE place that reads what people type
/// ("06 12 34 56 07", "0612345607", "06.12.34.56.07", "+33 6 12 34 56 07", "0033 6…"), stores it in
/// E.164 ("+33612345607"), shows it the French way ("06 12 34 56 07") and tells a mobile from a
/// landline. Patron forms, imports, the phone desk's caller search and the SMS outbox all go through it.
/// <para>
/// A number typed without "+" or "00" is read in the branch's region (<see cref="RegionOf"/>). The
/// overseas departments share France's ten-digit plan, so "0692 12 34 56" typed in Paris is a Réunion
/// mobile (+262692123456) and "06 12 34 56 78" typed in Saint-Denis a metropolitan one: when a national
/// number is not valid in the branch's region, the other regions of that plan are tried. Other countries
/// (Monaco, Belgium, Switzerland…) are written with their "+" or "00" prefix.
/// </para>
/// </summary>
internal static class PhoneNumber
{
    public const string DefaultRegion = "FR";

    /// <summary>The refusal shown next to a phone field.</summary>
    public const string NotRecognised = "Numéro de téléphone non reconnu (ex. 06 12 34 56 78 ou +33 6 12 34 56 78).";

    static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Regions dialled with France's ten-digit national plan ("0" + 9 digits).</summary>
    static readonly string[] FrenchPlan = ["FR", "RE", "YT", "GP", "MQ", "GF", "BL", "MF"];

    /// <summary>Calling codes whose numbers French staff read in the national form ("0692 12 34 56").</summary>
    static readonly HashSet<int> FrenchPlanCodes = [33, 262, 590, 594, 596];

    /// <summary>The phone region of a branch, from its time zone (network default <c>Europe/Paris</c>).</summary>
    public static string RegionOf(string? timeZoneId) => timeZoneId switch
    {
        "Indian/Reunion" => "RE",
        "Indian/Mayotte" => "YT",
        "America/Guadeloupe" => "GP",
        "America/Martinique" => "MQ",
        "America/Cayenne" => "GF",
        "America/St_Barthelemy" => "BL",
        "America/Marigot" => "MF",
        "America/Miquelon" => "PM",
        "Pacific/Noumea" => "NC",
        "Pacific/Tahiti" => "PF",
        "Europe/Monaco" => "MC",
        "Europe/Brussels" => "BE",
        "Europe/Zurich" => "CH",
        "Europe/Luxembourg" => "LU",
        _ => DefaultRegion,
    };

    /// <summary>
    /// <paramref name="input"/> as E.164, read in <paramref name="region"/> (ISO 3166 code, default FR);
    /// false when it is not a valid number. Letters are refused (no "vanity" numbers), and so is a
    /// national number without its leading 0.
    /// </summary>
    public static bool TryNormalise(string? input, [NotNullWhen(true)] out string? e164, string? region = null)
    {
        e164 = Parse(input, region ?? DefaultRegion) is { } number ? Util.Format(number, PhoneNumberFormat.E164) : null;
        return e164 is not null;
    }

    /// <summary>The E.164 form of <paramref name="input"/>, or null when it is empty or not a number.</summary>
    public static string? Normalise(string? input, string? region = null) => TryNormalise(input, out var e164, region) ? e164 : null;

    /// <summary>True when the number can receive an SMS (a mobile, or a plan where the two can't be told apart).</summary>
    public static bool IsMobile(string? e164) =>
        Parse(e164, DefaultRegion) is { } number
        && Util.GetNumberType(number) is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE;

    /// <summary>
    /// How staff and patrons read it: "06 12 34 56 07" or "0692 12 34 56" for France and its overseas
    /// departments, "+32 470 12 34 56" for anywhere else; the input unchanged when it is not a number.
    /// </summary>
    public static string Display(string e164)
    {
        if (Parse(e164, DefaultRegion) is not { } number) return e164;
        return Util.Format(number, FrenchPlanCodes.Contains(number.CountryCode) ? PhoneNumberFormat.NATIONAL : PhoneNumberFormat.INTERNATIONAL);
    }

    static PhoneNumbers.PhoneNumber? Parse(string? input, string region)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        var text = input.Trim();
        if (text.Any(ch => !char.IsAsciiDigit(ch) && " .-()/+".IndexOf(ch) < 0)) return null;
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        var international = text.StartsWith('+') || digits.StartsWith("00", StringComparison.Ordinal);
        // "00 06 12…", "+0 6…": no calling code starts with 0.
        if (international && (text.StartsWith('+') ? digits : digits[2..]).StartsWith('0')) return null;
        // "6 12 34 56 78": libphonenumber would take it, but a national number missing its 0 is more
        // likely a typing slip than a choice, and a wrong number costs an SMS to a stranger.
        if (!international && !digits.StartsWith('0') && Util.GetNddPrefixForRegion(region, true) == "0") return null;

        if (TryParse(text, region) is { } number)
        {
            if (Util.IsValidNumber(number)) return number;
            // "0692 12 34 56" read as +33 692…: try the other regions of France's plan.
            if (FrenchPlan.Contains(region) && (!international || number.CountryCode == 33))
            {
                var national = international ? "0" + number.NationalNumber : text;
                foreach (var other in FrenchPlan)
                    if (TryParse(national, other) is { } retry && Util.IsValidNumber(retry)) return retry;
            }
        }
        return null;
    }

    static PhoneNumbers.PhoneNumber? TryParse(string text, string region)
    {
        try { return Util.Parse(text, region); }
        catch (NumberParseException) { return null; }
    }
}
