using System.Text.RegularExpressions;
using ClickCollect.Api.Infrastructure.Http;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>
/// The rules every imported row must follow, whatever its source (a CSV file, the demo seed), checked
/// on the whole set before anything is written: one bad row refuses the import, and every bad row is
/// named so the file can be fixed in one go. Pure: the branch codes and the year are given.
/// </summary>
internal static partial class CatalogueRules
{
    /// <summary>The statuses a library system may send. held and inTransit are ClickCollect's own.</summary>
    public static readonly CopyStatus[] ImportableStatuses = [CopyStatus.OnShelf, CopyStatus.OnLoan, CopyStatus.Lost, CopyStatus.Withdrawn];

    public const int FirstYear = 1400;

    public static List<ImportRejection> Check(IReadOnlyList<CatalogueRow> rows, IReadOnlyDictionary<string, long> branchIds, int currentYear)
    {
        var rejected = new List<ImportRejection>();
        var titles = new Dictionary<string, (int Line, TitleData Data)>(StringComparer.Ordinal);
        var barcodes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            void Reject(string field, string reason) => rejected.Add(new(row.Line, field, reason));
            CheckTitle(row, currentYear, Reject);
            CheckCopy(row, branchIds, Reject);

            // Rows of one record describe one title: a difference is a mistake in the file, and taking
            // the last one silently would hide it.
            if (row.RecordId.Length > 0)
            {
                var data = TitleData.From(row);
                if (!titles.TryAdd(row.RecordId, (row.Line, data)))
                {
                    var first = titles[row.RecordId];
                    foreach (var field in TitleData.Differences(first.Data, data))
                        Reject(field, $"La notice {row.RecordId} est décrite autrement ligne {first.Line} : les lignes d'une même notice doivent être identiques.");
                }
            }
            if (row.Barcode is { } barcode && !barcodes.TryAdd(barcode, row.Line))
                Reject("barcode", $"Le code-barres {barcode} figure déjà ligne {barcodes[barcode]}.");
        }
        return rejected;
    }

    static void CheckTitle(CatalogueRow row, int currentYear, Action<string, string> reject)
    {
        Required(row.RecordId, "recordId", 100, reject);
        Required(row.Title, "title", 1000, reject); // real records run long: 553 characters in the Gutenberg sample
        if (row.Isbn is { } isbn && !IsbnPattern().IsMatch(TitleData.NormaliseIsbn(isbn)))
            reject("isbn", $"« {isbn} » n'est pas un ISBN ou un EAN (10 ou 13 chiffres, tirets permis).");
        if (row.Authors.Any(a => a.Length > 200 || a.Contains(';')))
            reject("authors", "Un auteur dépasse 200 caractères ou contient « ; » (séparateur des auteurs).");
        MaxLength(row.Publisher, "publisher", 200, reject);
        if (row.Year is { } year && (year < FirstYear || year > currentYear + 1))
            reject("year", $"Année {year} hors de la plage {FirstYear}–{currentYear + 1}.");
        if (!LanguagePattern().IsMatch(row.Language))
            reject("language", row.Language.Length == 0
                ? "Langue obligatoire : code ISO 639-1 de deux lettres (fr, en, de…)."
                : $"« {row.Language} » n'est pas un code de langue ISO 639-1 de deux lettres minuscules (fr, en, de…).");
        if (row.Genres.Any(g => g.Length > 100 || g.Contains(CatalogueText.GenreSeparator)))
            reject("genres", "Un genre dépasse 100 caractères ou contient « | » (séparateur des genres).");
        if (!Enum.IsDefined(row.Audience)) reject("audience", "Public inconnu.");
        if (!Enum.IsDefined(row.Format)) reject("format", "Format inconnu.");
    }

    static void CheckCopy(CatalogueRow row, IReadOnlyDictionary<string, long> branchIds, Action<string, string> reject)
    {
        if (row.Barcode is null)
        {
            // Copy columns without a barcode usually mean a barcode lost in the export, not a title-only row.
            if (row.BranchCode is not null || row.ShelfLocation is not null || row.CallNumber is not null || row.Status != CopyStatus.OnShelf)
                reject("barcode", "Code-barres manquant alors que la ligne décrit un exemplaire (branchCode, shelfLocation, callNumber ou status).");
            return;
        }
        MaxLength(row.Barcode, "barcode", 50, reject);
        if (row.BranchCode is null)
            reject("branchCode", "Bibliothèque obligatoire pour un exemplaire (code de la bibliothèque propriétaire).");
        else if (!branchIds.ContainsKey(row.BranchCode))
            reject("branchCode", $"Bibliothèque inconnue : « {row.BranchCode} ». Codes connus : {string.Join(", ", branchIds.Keys.Order())}.");
        MaxLength(row.ShelfLocation, "shelfLocation", 100, reject);
        MaxLength(row.CallNumber, "callNumber", 100, reject);
        if (!ImportableStatuses.Contains(row.Status))
            reject("status", $"Le statut « {Infrastructure.Database.DapperSetup.ToDb(row.Status)} » est géré par ClickCollect ; un import accepte onShelf, onLoan, lost ou withdrawn.");
    }

    static void Required(string value, string field, int max, Action<string, string> reject)
    {
        if (string.IsNullOrWhiteSpace(value)) reject(field, "Valeur obligatoire.");
        else MaxLength(value, field, max, reject);
    }

    static void MaxLength(string? value, string field, int max, Action<string, string> reject)
    {
        if (value is not null && value.Length > max) reject(field, $"{value.Length} caractères : {max} au plus.");
    }

    [GeneratedRegex("^(?:[0-9]{9}[0-9X]|[0-9]{13})$")]
    private static partial Regex IsbnPattern();

    [GeneratedRegex("^[a-z]{2}$")]
    private static partial Regex LanguagePattern();
}
