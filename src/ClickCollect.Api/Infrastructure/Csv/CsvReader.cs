using System.Text;

namespace ClickCollect.Api.Infrastructure.Csv;

/// <summary>One CSV record: the physical line it starts on, its fields, and what was wrong with its quoting.</summary>
internal sealed record CsvRecord(int Line, IReadOnlyList<string> Fields, string? Error);

/// <summary>
/// A small RFC 4180 reader (no CSV package is available here): comma separated, fields quoted with
/// <c>"</c> may hold commas, line breaks and doubled quotes; CRLF, LF and lone CR all end a record;
/// a leading byte order mark is skipped; blank lines are skipped. Each record carries the physical
/// line it starts on, so a rejection can point at the line a librarian sees in a text editor even
/// when an earlier title spans several lines.
/// </summary>
/// <remarks>
/// Lenient where the RFC is strict but the meaning is plain: a quote inside an unquoted field is kept
/// as a character (<c>12" vinyl</c>). A quoted field that never closes, or text after a closing quote,
/// is reported on the record instead.
/// </remarks>
internal sealed class CsvReader(TextReader reader)
{
    const int EndOfInput = -1;
    readonly char[] buffer = new char[16 * 1024];
    readonly StringBuilder field = new();
    int position, length;
    bool started;

    /// <summary>The physical line the reader has reached (1-based).</summary>
    public int Line { get; private set; } = 1;

    /// <summary>Reads every record, skipping blank lines.</summary>
    public IEnumerable<CsvRecord> ReadAll()
    {
        while (ReadRecord() is { } record)
        {
            if (record is { Fields: [""], Error: null }) continue;
            yield return record;
        }
    }

    /// <summary>The next record, or null at the end of the input.</summary>
    public CsvRecord? ReadRecord()
    {
        if (!started)
        {
            started = true;
            if (Peek() == '\uFEFF') Next();
        }
        if (Peek() == EndOfInput) return null;

        var start = Line;
        var fields = new List<string>();
        string? error = null;
        while (true)
        {
            field.Clear();
            if (Peek() == '"')
            {
                Next();
                if (!ReadQuoted())
                {
                    fields.Add(field.ToString());
                    return new CsvRecord(start, fields, "Guillemet ouvrant sans guillemet fermant : le champ court jusqu'à la fin du fichier.");
                }
                if (!IsFieldEnd(Peek()))
                {
                    error ??= $"Texte après un guillemet fermant (ligne {Line}) : doublez les guillemets à l'intérieur d'un champ.";
                    ReadUnquoted();
                }
            }
            else
            {
                ReadUnquoted();
            }
            fields.Add(field.ToString());

            var end = Next();
            if (end == ',') continue;
            if (end == '\r' && Peek() == '\n') Next();
            if (end != EndOfInput) Line++;
            return new CsvRecord(start, fields, error);
        }
    }

    static bool IsFieldEnd(int c) => c is ',' or '\r' or '\n' or EndOfInput;

    void ReadUnquoted()
    {
        while (!IsFieldEnd(Peek())) field.Append((char)Next());
    }

    /// <summary>Reads up to the closing quote (consumed); false when the input ends first.</summary>
    bool ReadQuoted()
    {
        while (true)
        {
            var c = Next();
            switch (c)
            {
                case EndOfInput:
                    return false;
                case '"' when Peek() == '"':
                    Next();
                    field.Append('"');
                    break;
                case '"':
                    return true;
                case '\r':
                    if (Peek() != '\n') Line++;
                    field.Append('\r');
                    break;
                case '\n':
                    Line++;
                    field.Append('\n');
                    break;
                default:
                    field.Append((char)c);
                    break;
            }
        }
    }

    int Peek()
    {
        if (position == length && !Fill()) return EndOfInput;
        return buffer[position];
    }

    int Next()
    {
        if (position == length && !Fill()) return EndOfInput;
        return buffer[position++];
    }

    bool Fill()
    {
        length = reader.Read(buffer, 0, buffer.Length);
        position = 0;
        return length > 0;
    }
}
