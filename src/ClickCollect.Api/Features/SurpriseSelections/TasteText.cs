using System.Globalization;
using System.Text;

namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>
/// How the bundle builder compares what a reader typed with the catalogue: case, accents and
/// punctuation do not count ("Polars nordiques" = "polar nordique", "Leïla" = "leila"), and a few
/// words librarians hear every day map to the catalogue's own genre names ("polar" → "Policier").
/// Pure functions, no I/O.
/// </summary>
internal static class TasteText
{
    // Latin letters with accents → their base letter, computed once (0x00C0–0x024F covers French,
    // Spanish, German, Nordic and Central European names).
    static readonly char[] Folded = BuildFoldTable();

    static char[] BuildFoldTable()
    {
        var table = new char[0x250];
        for (var c = 0; c < table.Length; c++)
        {
            var ch = (char)c;
            if (c < 0x80)
            {
                table[c] = char.IsAsciiLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : ' ';
                continue;
            }
            if (!char.IsLetterOrDigit(ch)) { table[c] = ' '; continue; }
            var baseLetter = ch.ToString().Normalize(NormalizationForm.FormD)[0];
            table[c] = char.ToLowerInvariant(baseLetter);
        }
        table['ß'] = 's';
        table['æ'] = 'a';
        table['Æ'] = 'a';
        table['ø'] = 'o';
        table['Ø'] = 'o';
        table['œ'] = 'o';
        table['Œ'] = 'o';
        table['ł'] = 'l';
        table['Ł'] = 'l';
        return table;
    }

    /// <summary>Lower case, no accents, every run of non-letters one space, trimmed: "L'Étranger !" → "l etranger".</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var buffer = text.Length <= 256 ? stackalloc char[text.Length] : new char[text.Length];
        var length = 0;
        var space = true; // drops leading spaces and collapses runs
        foreach (var ch in text)
        {
            var folded = ch < Folded.Length ? Folded[ch] : (char.IsLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : ' ');
            if (folded == ' ')
            {
                if (!space) buffer[length++] = ' ';
                space = true;
                continue;
            }
            buffer[length++] = folded;
            space = false;
        }
        if (length > 0 && buffer[length - 1] == ' ') length--;
        return new string(buffer[..length]);
    }

    public static string[] Tokens(string? text) => Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>French and English plurals: "polars" → "polar", "nouveaux" → "nouveau"; short words stay.</summary>
    public static string Stem(string token) =>
        token.Length > 3 && (token[^1] == 's' || token[^1] == 'x') ? token[..^1] : token;

    /// <summary>The comparison key of a genre or a phrase: folded, each word stemmed.</summary>
    public static string Key(string? text) => string.Join(' ', Tokens(text).Select(Stem));

    /// <summary>Everyday words → the key of the catalogue genre they mean (both sides already <see cref="Key"/>s).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Synonyms = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["polar"] = ["policier"],
        ["roman policier"] = ["policier"],
        ["enquete"] = ["policier"],
        ["polar nordique"] = ["polar nordique"],
        ["nordique"] = ["polar nordique"],
        ["scandinave"] = ["polar nordique"],
        ["sf"] = ["science fiction"],
        ["anticipation"] = ["science fiction"],
        ["bd"] = ["bande dessinee"],
        ["bande dessinee"] = ["bande dessinee", "roman graphique"],
        ["feel good"] = ["feel good"],
        ["feelgood"] = ["feel good"],
        ["romance"] = ["roman d amour"],
        ["amour"] = ["roman d amour"],
        ["historique"] = ["roman historique", "histoire"],
        ["heroic fantasy"] = ["fantasy"],
        ["horreur"] = ["fantastique"],
        ["epouvante"] = ["fantastique"],
        ["suspense"] = ["thriller"],
        ["drole"] = ["humour"],
        ["comique"] = ["humour"],
        ["rire"] = ["humour"],
        ["bio"] = ["biographie"],
        ["docu"] = ["documentaire"],
        ["recit de voyage"] = ["voyage"],
        ["conte de fee"] = ["conte"],
    };

    /// <summary>True when every word of <paramref name="nameTokens"/> is a word of the author's name ("Fred Vargas" in "Vargas, Fred").</summary>
    public static bool NameMatches(string[] nameTokens, string[] authorTokens)
    {
        if (nameTokens.Length == 0) return false;
        foreach (var token in nameTokens)
            if (Array.IndexOf(authorTokens, token) < 0) return false;
        return true;
    }

    /// <summary>True when <paramref name="phraseKey"/> appears as whole words in <paramref name="textKey"/>.</summary>
    public static bool ContainsPhrase(string textKey, string phraseKey)
    {
        if (phraseKey.Length == 0) return false;
        var at = 0;
        while ((at = textKey.IndexOf(phraseKey, at, StringComparison.Ordinal)) >= 0)
        {
            var startOk = at == 0 || textKey[at - 1] == ' ';
            var end = at + phraseKey.Length;
            if (startOk && (end == textKey.Length || textKey[end] == ' ')) return true;
            at++;
        }
        return false;
    }

    /// <summary>"Vargas, Fred" → "Fred Vargas", the way a reader says a name.</summary>
    public static string DisplayAuthor(string catalogueName)
    {
        var comma = catalogueName.IndexOf(',');
        if (comma <= 0 || comma == catalogueName.Length - 1) return catalogueName.Trim();
        var first = catalogueName[(comma + 1)..].Trim();
        // "Carroll, Lewis" → "Lewis Carroll"; a parenthesised full name stays out of the way.
        var paren = first.IndexOf('(');
        if (paren > 0) first = first[..paren].Trim();
        return $"{first} {catalogueName[..comma].Trim()}";
    }

    /// <summary>
    /// The series of a numbered volume, as catalogues write it ("Millénium. 2, La Fille qui…",
    /// "Persepolis. 1"): the folded text before ". &lt;number&gt;". Null for a title outside a series.
    /// </summary>
    public static string? SeriesKey(string title)
    {
        for (var i = title.IndexOf('.'); i > 0; i = title.IndexOf('.', i + 1))
        {
            var j = i + 1;
            while (j < title.Length && title[j] == ' ') j++;
            if (j < title.Length && char.IsAsciiDigit(title[j])) return Fold(title[..i]);
        }
        return null;
    }

    public static string Join(IEnumerable<string> items) => string.Join(", ", items);

    public static string Points(double points) => points.ToString("+0.#;-0.#;0", CultureInfo.InvariantCulture);
}
