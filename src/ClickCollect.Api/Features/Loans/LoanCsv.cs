using System.Globalization;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Infrastructure.Csv;
using ClickCollect.Api.Infrastructure.Http;

namespace ClickCollect.Api.Features.Loans;

/// <summary>One line of a loan import: who has which copy, since when, until when (the library system's due date).</summary>
internal sealed record LoanImportRow(int Line, string CardNumber, string Barcode, DateOnly LoanedOn, DateOnly DueOn);

internal sealed record LoanFile(int Read, IReadOnlyList<LoanImportRow> Rows, IReadOnlyList<ImportRejection> Rejected);

/// <summary>
/// Reads the current-loans export of the library system (DESIGN "Public contract"): a header
/// <c>cardNumber,barcode,loanedOn,dueOn</c> (any order, any case), one line per loan, dates yyyy-MM-dd.
/// Only turns text into typed rows; what the values must be (known cards and copies) is <see cref="LoanImport"/>'s.
/// </summary>
internal static class LoanCsv
{
    public static readonly string[] Columns = ["cardNumber", "barcode", "loanedOn", "dueOn"];

    const char Unreadable = '\uFFFD';

    public static async Task<LoanFile> ReadAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        using var reader = CatalogueCsv.OpenReader(buffer); // UTF-8, and bytes that are not become U+FFFD, refused below
        return Parse(reader);
    }

    public static LoanFile Parse(TextReader text)
    {
        var rejected = new List<ImportRejection>();
        using var records = new CsvReader(text).ReadAll().GetEnumerator();
        if (!records.MoveNext())
            return new LoanFile(0, [], [new(1, "file", "Le fichier est vide : une ligne d'en-tête cardNumber,barcode,loanedOn,dueOn est attendue.")]);
        var header = ReadHeader(records.Current, rejected);
        if (header is null) return new LoanFile(0, [], rejected);

        var rows = new List<LoanImportRow>();
        var read = 0;
        while (records.MoveNext())
        {
            read++;
            if (ToRow(records.Current, header, rejected) is { } row) rows.Add(row);
        }
        return new LoanFile(read, rows, rejected);
    }

    static Dictionary<string, int>? ReadHeader(CsvRecord record, List<ImportRejection> rejected)
    {
        var before = rejected.Count;
        if (record.Error is not null) rejected.Add(new(record.Line, "header", record.Error));
        var positions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < record.Fields.Count; i++)
        {
            var name = record.Fields[i].Trim();
            var known = Columns.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
                rejected.Add(new(record.Line, name.Length == 0 ? "header" : name, $"Colonne inconnue « {name} ». Colonnes attendues : {string.Join(", ", Columns)}."));
            else if (!positions.TryAdd(known, i))
                rejected.Add(new(record.Line, known, $"La colonne « {known} » apparaît deux fois."));
        }
        foreach (var missing in Columns.Where(c => !positions.ContainsKey(c)))
            rejected.Add(new(record.Line, missing, $"Colonne obligatoire absente de l'en-tête : « {missing} »."));
        return rejected.Count == before ? positions : null;
    }

    static LoanImportRow? ToRow(CsvRecord record, Dictionary<string, int> header, List<ImportRejection> rejected)
    {
        var line = record.Line;
        if (record.Error is not null)
        {
            rejected.Add(new(line, "record", record.Error));
            return null;
        }
        if (record.Fields.Count != header.Count)
        {
            rejected.Add(new(line, "record", $"{record.Fields.Count} champ(s) au lieu de {header.Count}."));
            return null;
        }
        var before = rejected.Count;
        string Text(string column) => record.Fields[header[column]].Trim();
        foreach (var column in Columns.Where(c => Text(c).Contains(Unreadable)))
            rejected.Add(new(line, column, "Caractère illisible : le fichier n'est pas en UTF-8."));

        var card = Text("cardNumber");
        var barcode = Text("barcode");
        if (card.Length == 0) rejected.Add(new(line, "cardNumber", "Numéro de carte obligatoire."));
        if (barcode.Length == 0) rejected.Add(new(line, "barcode", "Code-barres obligatoire."));
        var loanedOn = Date(line, "loanedOn", Text("loanedOn"), rejected);
        var dueOn = Date(line, "dueOn", Text("dueOn"), rejected);
        if (loanedOn is { } l && dueOn is { } d && d < l)
            rejected.Add(new(line, "dueOn", $"La date de retour ({d:yyyy-MM-dd}) précède la date de prêt ({l:yyyy-MM-dd})."));
        return rejected.Count == before ? new LoanImportRow(line, card, barcode, loanedOn!.Value, dueOn!.Value) : null;
    }

    static DateOnly? Date(int line, string column, string text, List<ImportRejection> rejected)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        rejected.Add(new(line, column, text.Length == 0
            ? "Date obligatoire, au format AAAA-MM-JJ (ex. 2026-03-10)."
            : $"« {text} » n'est pas une date au format AAAA-MM-JJ (ex. 2026-03-10)."));
        return null;
    }
}
