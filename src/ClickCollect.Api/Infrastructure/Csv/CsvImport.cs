using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using ClickCollect.Api.Infrastructure.Http;
using CsvHelper;
using CsvHelper.Configuration;

namespace ClickCollect.Api.Infrastructure.Csv;

/// <summary>One CSV record: the physical line it starts on, its fields, and what was wrong with its quoting.</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, string? Error);

/// <summary>What an import read from a file: how many records after the header, the rows it could read, and the refusals.</summary>
internal sealed record CsvRows<TRow>(int Read, IReadOnlyList<TRow> Rows, IReadOnlyList<ImportRejection> Rejected);

/// <summary>A file's columns: every name it may use (case-insensitive, any order) and those it must have.</summary>
internal sealed record CsvColumns(IReadOnlyList<string> All, IReadOnlyList<string> Required);

/// <summary>One data record of an import, its fields looked up by column name.</summary>
internal sealed class CsvRow(CsvRecord record, IReadOnlyDictionary<string, int> header)
{
    public int Line => record.Line;

    /// <summary>The field as written (not trimmed), or "" when the file has no such column.</summary>
    public string this[string column] => header.TryGetValue(column, out var i) ? record.Fields[i] : "";

    public bool Has(string column) => header.ContainsKey(column);
}

/// <summary>
/// Reading the CSV files staff import (catalogue, loans, and whatever comes next), with CsvHelper:
/// UTF-8, comma-separated, RFC 4180 quoting, one header row. The file is read as it arrives (a
/// request body is never buffered whole); each refusal names the physical line its record starts on
/// and the column, in French, for the person fixing the file. A feature describes its columns and
/// turns one <see cref="CsvRow"/> into its own row type:
/// <code>
/// var file = await CsvImport.ReadAsync(CsvImport.OpenReader(request.Body), Columns, ToRow, ct);
/// static MyRow? ToRow(CsvRow row, List&lt;ImportRejection&gt; rejected) { … rejected.Add(new(row.Line, "barcode", "…")); … }
/// </code>
/// A row whose conversion added a rejection is dropped; nothing else is the helper's business.
/// </summary>
internal static class CsvImport
{
    /// <summary>What a file that is not UTF-8 leaves in the text once read as UTF-8.</summary>
    public const char Unreadable = '\uFFFD';

    public const string NotUtf8 = "Caractère illisible : le fichier n'est pas en UTF-8. Enregistrez-le en « UTF-8 » et recommencez.";

    static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        HasHeaderRecord = false, // the header is read as a record, to report its own mistakes
        Mode = CsvMode.RFC4180,
        IgnoreBlankLines = true,
        DetectColumnCountChanges = false,
        BadDataFound = null, // replaced per parser, to keep the complaint on the record
    };

    /// <summary>
    /// A UTF-8 reader (a byte order mark is tolerated) that leaves <paramref name="stream"/> open. Bytes
    /// that are not UTF-8 become U+FFFD, which the imports refuse on the exact line and column: a
    /// Windows-1252 export would otherwise turn every "é" into "�" without a word.
    /// </summary>
    public static TextReader OpenReader(Stream stream) =>
        new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false),
            detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);

    /// <summary>Reads a request body (or any stream) as it arrives.</summary>
    public static async Task<CsvRows<TRow>> ReadAsync<TRow>(Stream body, CsvColumns columns,
        Func<CsvRow, List<ImportRejection>, TRow?> toRow, CancellationToken ct)
    {
        using var reader = OpenReader(body);
        return await ReadAsync(reader, columns, toRow, ct);
    }

    public static async Task<CsvRows<TRow>> ReadAsync<TRow>(TextReader reader, CsvColumns columns,
        Func<CsvRow, List<ImportRejection>, TRow?> toRow, CancellationToken ct)
    {
        var collector = new Collector<TRow>(columns, toRow);
        await foreach (var record in RecordsAsync(reader, ct)) collector.Add(record);
        return collector.Result();
    }

    /// <summary>The same, for files read at start-up or by a command (the demo catalogue).</summary>
    public static CsvRows<TRow> Read<TRow>(TextReader reader, CsvColumns columns, Func<CsvRow, List<ImportRejection>, TRow?> toRow)
    {
        var collector = new Collector<TRow>(columns, toRow);
        foreach (var record in Records(reader)) collector.Add(record);
        return collector.Result();
    }

    /// <summary>Every record, header included, blank lines skipped.</summary>
    public static IEnumerable<CsvRecord> Records(TextReader reader)
    {
        var bad = new BadField();
        using var parser = Parser(reader, bad);
        while (parser.Read()) yield return ToRecord(parser, bad);
    }

    public static async IAsyncEnumerable<CsvRecord> RecordsAsync(TextReader reader, [EnumeratorCancellation] CancellationToken ct)
    {
        var bad = new BadField();
        using var parser = Parser(reader, bad);
        while (await parser.ReadAsync())
        {
            ct.ThrowIfCancellationRequested();
            yield return ToRecord(parser, bad);
        }
    }

    /// <summary>The first field of the current record CsvHelper found bad quoting in.</summary>
    sealed class BadField
    {
        public string? Field;
    }

    static CsvParser Parser(TextReader reader, BadField bad) =>
        new(reader, Configuration with { BadDataFound = args => bad.Field ??= args.Field }, leaveOpen: true);

    static CsvRecord ToRecord(CsvParser parser, BadField bad)
    {
        var fields = parser.Record ?? []; // CsvHelper parses fields (and reports bad data) on this first access
        if (parser.Row == 1 && fields.Length > 0) fields[0] = fields[0].TrimStart('\uFEFF');
        var raw = parser.RawRecord;
        var unterminated = bad.Field is { } field && field.StartsWith('"') && ClosingQuote(field) < 0;
        // RawRow is the line the record ends on; a quoted field may span several lines. A record cut
        // short by an unclosed quote has no terminator: its last line break belongs to the field.
        var line = parser.RawRow - LineBreaks(unterminated ? raw : WithoutTerminator(raw));
        var error = bad.Field is not { } badField || !badField.StartsWith('"') ? null
            : unterminated ? "Guillemet ouvrant sans guillemet fermant : le champ court jusqu'à la fin du fichier."
            : $"Texte après un guillemet fermant (ligne {line + LineBreaks(badField.AsSpan(0, ClosingQuote(badField)))}) : doublez les guillemets à l'intérieur d'un champ.";
        bad.Field = null;
        return new CsvRecord(line, fields, error);
    }

    /// <summary>
    /// Where the quoted <paramref name="field"/> closes, or -1 when it never does. CsvHelper reports any
    /// stray quote; one inside an unquoted field (<c>vinyle 12"</c>) is kept as a character, since its
    /// meaning is plain, so only fields that open with a quote are the record's error.
    /// </summary>
    static int ClosingQuote(string field)
    {
        for (var i = 1; i < field.Length; i++)
        {
            if (field[i] != '"') continue;
            if (i + 1 < field.Length && field[i + 1] == '"') { i++; continue; }
            return i;
        }
        return -1;
    }

    static ReadOnlySpan<char> WithoutTerminator(string raw) =>
        raw.EndsWith("\r\n", StringComparison.Ordinal) ? raw.AsSpan(0, raw.Length - 2)
        : raw.EndsWith('\n') || raw.EndsWith('\r') ? raw.AsSpan(0, raw.Length - 1)
        : raw;

    static int LineBreaks(ReadOnlySpan<char> text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n' || text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')) count++;
        return count;
    }

    /// <summary>Column name → position (names case-insensitive); null, with every reason in <paramref name="rejected"/>, when the header is unusable.</summary>
    public static Dictionary<string, int>? ReadHeader(CsvRecord record, CsvColumns columns, List<ImportRejection> rejected)
    {
        var before = rejected.Count;
        if (record.Error is not null) rejected.Add(new(record.Line, "header", record.Error));
        var positions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < record.Fields.Count; i++)
        {
            var name = record.Fields[i].Trim();
            if (name.Contains(Unreadable)) rejected.Add(new(record.Line, "file", NotUtf8));
            var known = columns.All.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
                rejected.Add(new(record.Line, name.Length == 0 ? "header" : name,
                    $"Colonne inconnue « {name} ». Colonnes possibles : {string.Join(", ", columns.All)}."));
            else if (!positions.TryAdd(known, i))
                rejected.Add(new(record.Line, known, $"La colonne « {known} » apparaît deux fois."));
        }
        foreach (var missing in columns.Required.Where(c => !positions.ContainsKey(c)))
            rejected.Add(new(record.Line, missing, $"Colonne obligatoire absente de l'en-tête : « {missing} »."));
        return rejected.Count == before ? positions : null;
    }

    /// <summary>The header, then each record: quoting, field count and encoding checked here, the values by the feature.</summary>
    sealed class Collector<TRow>(CsvColumns columns, Func<CsvRow, List<ImportRejection>, TRow?> toRow)
    {
        readonly List<TRow> rows = [];
        readonly List<ImportRejection> rejected = [];
        Dictionary<string, int>? header;
        bool headerRead;
        int read;

        public void Add(CsvRecord record)
        {
            if (!headerRead)
            {
                headerRead = true;
                header = ReadHeader(record, columns, rejected);
                return;
            }
            if (header is null) return; // the header was refused: the rest cannot be read
            read++;
            if (record.Error is not null)
            {
                rejected.Add(new(record.Line, "record", record.Error));
                return;
            }
            if (record.Fields.Count != header.Count)
            {
                rejected.Add(new(record.Line, "record",
                    $"{record.Fields.Count} champ(s) au lieu de {header.Count} : une virgule dans un champ doit être entre guillemets."));
                return;
            }
            var before = rejected.Count;
            foreach (var (column, _) in header.Where(c => record.Fields[c.Value].Contains(Unreadable)))
                rejected.Add(new(record.Line, column, NotUtf8));
            if (rejected.Count != before) return;
            if (toRow(new CsvRow(record, header), rejected) is { } row && rejected.Count == before) rows.Add(row);
        }

        public CsvRows<TRow> Result() => headerRead
            ? new(read, rows, rejected)
            : new(0, [], [new(1, "file", $"Le fichier est vide : une ligne d'en-tête {string.Join(',', columns.Required)} est attendue.")]);
    }
}
