using System.Globalization;

namespace ClickCollect.Api.Features.PickLists;

/// <summary>
/// Compares call numbers ("cotes") the way librarians shelve them: word by word; a Dewey number is
/// compared as a decimal ("843" before "843.914" before "843.92"), other words alphabetically
/// ignoring case and accents ("BD ASSE" before "BD ASTE"), numbers before words, shorter before longer.
/// </summary>
internal sealed class CallNumberComparer : IComparer<string?>
{
    public static readonly CallNumberComparer Instance = new();

    static readonly CompareInfo French = FrenchOrder.Culture.CompareInfo;
    const CompareOptions Loose = CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace;

    public int Compare(string? x, string? y)
    {
        var a = Words(x);
        var b = Words(y);
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var order = CompareWord(a[i], b[i]);
            if (order != 0) return order;
        }
        // Equal to a librarian ("r cam", "R CAM"): a fixed order all the same, so sorting is stable.
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(x, y);
    }

    static string[] Words(string? callNumber) =>
        (callNumber ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static int CompareWord(string a, string b)
    {
        var aNumber = decimal.TryParse(a, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var x);
        var bNumber = decimal.TryParse(b, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var y);
        if (aNumber && bNumber) return x.CompareTo(y);
        if (aNumber != bNumber) return aNumber ? -1 : 1;
        return French.Compare(a, b, Loose);
    }
}

/// <summary>
/// The French collation, fixed: lists sort the same whatever culture the server runs in (a container
/// with the invariant culture or an English one would otherwise put "Élise" after "Zoé", #15).
/// </summary>
internal static class FrenchOrder
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>Case-insensitive, accents still ordered (é after e, before f).</summary>
    public static readonly StringComparer IgnoreCase = StringComparer.Create(Culture, CompareOptions.IgnoreCase);

    public static readonly StringComparer Exact = StringComparer.Create(Culture, CompareOptions.None);
}
