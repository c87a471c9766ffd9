using System.Text;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>
/// Texts that cost one SMS segment where they can (issue 15 item 5). One character outside GSM-7
/// switches the whole message to UCS-2: 70 characters a segment instead of 160. French typography
/// (« », ’, –, …, non-breaking spaces) and the accented letters GSM-7 lacks (ê â î ô û ç œ…) are
/// replaced by their nearest GSM-7 form in what we send; é è à ù stay, GSM-7 has them. The templates
/// avoid those letters by wording; this catches titles and place names.
/// </summary>
internal static class SmsText
{
    static readonly Dictionary<char, string> Replacements = new()
    {
        ['«'] = "\"", ['»'] = "\"", ['“'] = "\"", ['”'] = "\"", ['„'] = "\"",
        ['‘'] = "'", ['’'] = "'", ['‚'] = "'", ['′'] = "'",
        ['–'] = "-", ['—'] = "-", ['‑'] = "-", ['−'] = "-",
        ['…'] = "...",
        ['\u00A0'] = " ", ['\u202F'] = " ", ['\u2009'] = " ",
        ['œ'] = "oe", ['Œ'] = "OE",
        ['ê'] = "e", ['ë'] = "e", ['â'] = "a", ['î'] = "i", ['ï'] = "i", ['ô'] = "o", ['û'] = "u", ['ç'] = "c", ['ÿ'] = "y",
        ['Ê'] = "E", ['Ë'] = "E", ['È'] = "E", ['Â'] = "A", ['À'] = "A", ['Î'] = "I", ['Ï'] = "I", ['Ô'] = "O", ['Û'] = "U", ['Ù'] = "U",
    };

    /// <summary>The text as it is sent: GSM-7 wherever a close form exists.</summary>
    public static string ForSms(string text)
    {
        if (text.All(c => !Replacements.ContainsKey(c))) return text;
        // French quotes hold their text with spaces: « Germinal » becomes "Germinal".
        foreach (var space in new[] { " ", "\u00A0", "\u202F" }) text = text.Replace("«" + space, "«").Replace(space + "»", "»");
        var sms = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (Replacements.TryGetValue(c, out var replacement)) sms.Append(replacement);
            else sms.Append(c);
        }
        return sms.ToString();
    }

    static readonly string[] Feminine =
        ["médiathèque", "bibliothèque", "ludothèque", "maison", "mairie", "salle", "place", "halle", "gare", "poste", "boutique"];

    static readonly string[] Elided = ["espace", "hôtel", "atelier", "auditorium", "accueil", "annexe", "antenne", "école"];

    static readonly string[] Masculine = ["bibliobus", "centre", "point", "relais", "pôle", "quartier", "kiosque", "marché", "foyer", "musée"];

    /// <summary>
    /// "à la Médiathèque centrale", "au Bibliobus - Place de Bourgogne", "à l'Espace jeunes", "aux Halles";
    /// a name whose first word we do not know, or that already has an article ("Le Phare"), gets "à".
    /// </summary>
    public static string At(string place)
    {
        var name = place.Trim();
        var first = name.Split([' ', '-', '–', '\''], 2)[0].ToLowerInvariant();
        if (first is "le") return "au" + name[2..];
        if (first is "la" or "l") return "à " + name;
        if (first is "les") return "aux" + name[3..];
        if (Feminine.Contains(first)) return "à la " + name;
        if (Masculine.Contains(first)) return "au " + name;
        if (Elided.Contains(first)) return "à l'" + name;
        return "à " + name;
    }
}
