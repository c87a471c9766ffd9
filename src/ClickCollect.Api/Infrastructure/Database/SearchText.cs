using System.Globalization;
using System.Text;

namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>What people type in a search box, made comparable with <see cref="SqlDialect.Fold"/>: lower case, no accents.</summary>
internal static class SearchText
{
    /// <summary>"Bérénice ŒUVRE" → "berenice oeuvre".</summary>
    public static string Fold(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var ch in text.Replace("œ", "oe").Replace("Œ", "OE").Replace("æ", "ae").Replace("Æ", "AE").Normalize(NormalizationForm.FormD))
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark) builder.Append(ch);
        return builder.ToString().Normalize(NormalizationForm.FormC).ToLowerInvariant();
    }

    /// <summary>The letters of French (and nearby) names that SQLite's ASCII-only <c>lower()</c> would leave accented.</summary>
    public static readonly IReadOnlyList<(string From, string To)> SqliteFoldings = Build();

    static List<(string, string)> Build()
    {
        var list = new List<(string, string)> { ("œ", "oe"), ("Œ", "oe"), ("æ", "ae"), ("Æ", "ae") };
        foreach (var ch in "àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝŸ")
            list.Add((ch.ToString(), Fold(ch.ToString())));
        return list;
    }
}
