using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace ClickCollect.Api.Infrastructure.Csv;

/// <summary>Who a CSV file is for.</summary>
internal enum CsvDialect
{
    /// <summary>Programs: comma, the columns' camelCase names, RFC 4180.</summary>
    Standard,

    /// <summary>
    /// French Excel and LibreOffice opened with a double click: ";" (the comma is the French decimal
    /// separator, so French Excel splits on ";"), French headers; both dialects are UTF-8 with a byte
    /// order mark (without it Excel reads Windows-1252 and "é" turns to "Ã©") and CRLF line ends.
    /// </summary>
    Excel,
}

/// <summary>
/// Writing CSV exports with CsvHelper. A cell that begins with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>,
/// a tab or a carriage return is neutralised: prefixed with <c>'</c> and quoted, so a title or a name
/// such as <c>=HYPERLINK(…)</c> is shown as text and never run as a formula by a spreadsheet (OWASP
/// "CSV injection"). Both dialects do it, since either may end up in a spreadsheet.
/// </summary>
internal static class CsvExport
{
    public const string ContentType = "text/csv; charset=utf-8";

    /// <summary>The <c>dialect</c> query value: null or "" is <see cref="CsvDialect.Standard"/>; false when unknown.</summary>
    public static bool TryParseDialect(string? text, out CsvDialect dialect)
    {
        dialect = CsvDialect.Standard;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "standard":
                return true;
            case "excel":
                dialect = CsvDialect.Excel;
                return true;
            default:
                return false;
        }
    }

    public const string UnknownDialect = "Variante attendue : standard (programmes) ou excel (tableur en français).";

    /// <summary>One header row, then the rows; every value already text (format numbers and dates before).</summary>
    public static byte[] Render(IEnumerable<string> header, IEnumerable<IEnumerable<string?>> rows, CsvDialect dialect = CsvDialect.Standard)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = dialect == CsvDialect.Excel ? ";" : ",",
            NewLine = "\r\n",
            InjectionOptions = InjectionOptions.Escape,
        };
        using var buffer = new MemoryStream();
        using (var text = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        using (var csv = new CsvWriter(text, configuration))
        {
            foreach (var name in header) csv.WriteField(name);
            csv.NextRecord();
            foreach (var row in rows)
            {
                foreach (var field in row) csv.WriteField(field ?? "");
                csv.NextRecord();
            }
        }
        return buffer.ToArray();
    }
}
