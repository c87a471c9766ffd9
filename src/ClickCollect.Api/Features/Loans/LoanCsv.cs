using System.Globalization;
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

    static readonly CsvColumns Layout = new(Columns, Columns);

    /// <summary>Reads a request body as it arrives.</summary>
    public static async Task<LoanFile> ReadAsync(Stream body, CancellationToken ct)
    {
        var file = await CsvImport.ReadAsync(body, Layout, ToRow, ct);
        return new LoanFile(file.Read, file.Rows, file.Rejected);
    }

    static LoanImportRow? ToRow(CsvRow record, List<ImportRejection> rejected)
    {
        var line = record.Line;
        var before = rejected.Count;
        string Text(string column) => record[column].Trim();

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
