using System.Text;
using ClickCollect.Api.Infrastructure.Http;

namespace ClickCollect.Api.Infrastructure.Csv;

/// <summary>What the CSV imports (catalogue, loans) share: reading the file as UTF-8 and checking its header row.</summary>
internal static class CsvImport
{
    /// <summary>What a file that is not UTF-8 leaves in the text once read as UTF-8.</summary>
    public const char Unreadable = '\uFFFD';

    public const string NotUtf8 = "Caractère illisible : le fichier n'est pas en UTF-8. Enregistrez-le en « UTF-8 » et recommencez.";

    /// <summary>
    /// A UTF-8 reader (a byte order mark is tolerated). Bytes that are not UTF-8 become U+FFFD, which the
    /// imports refuse on the exact line and column: a Windows-1252 export would otherwise turn every
    /// "é" into "�" without a word.
    /// </summary>
    public static TextReader OpenReader(Stream stream) =>
        new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false),
            detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);

    /// <summary>
    /// Parses a request body. It is buffered first (at most the route's body limit) because the parsers
    /// read synchronously and the server does not allow synchronous reads of a request.
    /// </summary>
    public static async Task<T> ReadBodyAsync<T>(Stream body, Func<TextReader, T> parse, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        using var reader = OpenReader(buffer);
        return parse(reader);
    }

    /// <summary>Column name → position (names case-insensitive); null, with every reason in <paramref name="rejected"/>, when the header is unusable.</summary>
    public static Dictionary<string, int>? ReadHeader(CsvRecord record, IReadOnlyList<string> columns, IEnumerable<string> required, List<ImportRejection> rejected)
    {
        var before = rejected.Count;
        if (record.Error is not null) rejected.Add(new(record.Line, "header", record.Error));
        var positions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < record.Fields.Count; i++)
        {
            var name = record.Fields[i].Trim();
            if (name.Contains(Unreadable)) rejected.Add(new(record.Line, "file", NotUtf8));
            var known = columns.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
                rejected.Add(new(record.Line, name.Length == 0 ? "header" : name,
                    $"Colonne inconnue « {name} ». Colonnes possibles : {string.Join(", ", columns)}."));
            else if (!positions.TryAdd(known, i))
                rejected.Add(new(record.Line, known, $"La colonne « {known} » apparaît deux fois."));
        }
        foreach (var missing in required.Where(c => !positions.ContainsKey(c)))
            rejected.Add(new(record.Line, missing, $"Colonne obligatoire absente de l'en-tête : « {missing} »."));
        return rejected.Count == before ? positions : null;
    }
}
