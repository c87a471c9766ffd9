using System.Globalization;
using ClickCollect.Api.Infrastructure;
using ClickCollect.Api.Infrastructure.Csv;
using ClickCollect.Api.Infrastructure.Http;
using CsvHelper.Configuration;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>One line of a status delta from the library system.</summary>
internal sealed record CopyStatusRow(int Line, string Barcode, CopyStatus Status, DateOnly? DueOn);

/// <summary>A status delta file read: its rows, and the lines refused (any refusal refuses the file).</summary>
internal sealed record CopyStatusFile(int Read, IReadOnlyList<CopyStatusRow> Rows, IReadOnlyList<ImportRejection> Rejected);

/// <summary>
/// Reads <c>barcode,status[,dueOn]</c> lines (UTF-8, RFC 4180 quoting through CsvHelper). A first line
/// starting with "barcode" is a header and skipped. Statuses: onShelf, onLoan, lost, withdrawn (any
/// case); dueOn is <c>YYYY-MM-DD</c>, meaningful with onLoan. A barcode may appear several times:
/// the last line wins, as a delta lists events in order.
/// </summary>
internal static class CopyStatusCsv
{
    /// <summary>Buffers the request body (at most the route's limit): the parser reads synchronously, which the server forbids on a request.</summary>
    public static async Task<CopyStatusFile> ReadAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        using var reader = CsvImport.OpenReader(buffer);
        return Parse(reader);
    }

    public static CopyStatusFile Parse(TextReader text)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false, TrimOptions = TrimOptions.Trim, BadDataFound = null };
        using var csv = new CsvHelper.CsvReader(text, config);
        var rows = new List<CopyStatusRow>();
        var rejected = new List<ImportRejection>();
        var read = 0;
        while (csv.Read())
        {
            var line = csv.Parser.RawRow;
            var fields = csv.Parser.Record ?? [];
            if (fields.All(string.IsNullOrWhiteSpace)) continue;
            if (read == 0 && rows.Count == 0 && rejected.Count == 0 && fields[0].Equals("barcode", StringComparison.OrdinalIgnoreCase)) continue;
            read++;
            void Reject(string field, string reason) => rejected.Add(new(line, field, reason));
            if (fields.Length is < 2 or > 3)
            {
                Reject("record", $"{fields.Length} champ(s) : attendu barcode,status[,dueOn].");
                continue;
            }
            if (fields.Any(f => f.Contains(CsvImport.Unreadable))) Reject("record", CsvImport.NotUtf8);
            var barcode = fields[0];
            if (barcode.Length is 0 or > 50) Reject("barcode", "Code-barres obligatoire (50 caractères au plus).");
            CopyStatus? status = EnumText<CopyStatus>.TryParse(fields[1], out var s) && CatalogueRules.ImportableStatuses.Contains(s) ? s : null;
            if (status is null) Reject("status", $"« {fields[1]} » n'est pas un statut possible : onShelf, onLoan, lost ou withdrawn.");
            DateOnly? dueOn = null;
            if (fields.Length == 3 && fields[2].Length > 0)
            {
                if (DateOnly.TryParseExact(fields[2], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) dueOn = d;
                else Reject("dueOn", $"« {fields[2]} » n'est pas une date AAAA-MM-JJ.");
            }
            if (rejected.Count == 0 || rejected[^1].Line != line)
                rows.Add(new CopyStatusRow(line, barcode, status!.Value, status == CopyStatus.OnLoan ? dueOn : null));
        }
        return new CopyStatusFile(read, rows, rejected);
    }
}
