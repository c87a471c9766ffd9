using System.Runtime.CompilerServices;
using System.Text;

namespace ClickCollect.Api.Features.Catalogue.Marc;

/// <summary>
/// Reads ISO 2709 ("MARC exchange format") records one at a time from a stream: only one record is in
/// memory at once, whatever the size of the file. In MARC 21, leader position 9 says how the record is
/// encoded ('a': UTF-8; blank: MARC-8, see <see cref="Marc8"/>). UNIMARC leaves position 9 blank and
/// names its character set in field 100; French systems export UTF-8, so UNIMARC records are read as
/// UTF-8, and as ISO 8859-1 when they are not valid UTF-8 (older exports).
/// </summary>
/// <remarks>
/// Records are split on the record terminator (0x1D), not on the length in the leader, so a wrong
/// length (a common fault: an export that re-encoded to UTF-8 and counted characters, not bytes)
/// costs nothing. When a terminator is missing, the next leader is found where the declared length
/// says, and both records are read. Fields are taken from the directory; if its offsets do not fit the
/// data, the fields are read in order between field terminators. A record that still cannot be read
/// comes out as an error with its rank and byte offset, and reading goes on with the next one.
/// </remarks>
internal static class Iso2709Reader
{
    const byte RecordTerminator = 0x1D;
    const byte FieldTerminator = 0x1E;
    const byte SubfieldDelimiter = 0x1F;

    /// <summary>A record is at most 99,999 bytes; past this without a terminator the data is not ISO 2709.</summary>
    const int MaxRecordBytes = 1 << 20;

    public static async IAsyncEnumerable<MarcEntry> ReadAsync(Stream stream, bool unimarc, [EnumeratorCancellation] CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        int filled = 0, start = 0;
        long offset = 0; // of buffer[start] in the file
        var number = 0;
        var eof = false;
        while (true)
        {
            // Skip what some exports put between records: line breaks, spaces, a stray terminator, a DOS end-of-file mark.
            while (start < filled && buffer[start] is (byte)'\n' or (byte)'\r' or (byte)' ' or 0 or 0x1A or RecordTerminator) { start++; offset++; }
            var end = start < filled ? Array.IndexOf(buffer, RecordTerminator, start, filled - start) : -1;
            if (end < 0 && !eof)
            {
                if (filled - start >= MaxRecordBytes)
                {
                    yield return new MarcEntry(++number, Where(offset), null,
                        $"Aucune fin de notice (0x1D) sur {MaxRecordBytes / 1024} Kio : ce n'est pas un fichier ISO 2709, ou il est endommagé. Lecture arrêtée.");
                    yield break;
                }
                // Keep the unfinished record, make room, read more.
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                    filled -= start;
                    start = 0;
                }
                if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                var read = await stream.ReadAsync(buffer.AsMemory(filled), ct);
                if (read == 0) eof = true;
                filled += read;
                continue;
            }
            if (start >= filled) yield break;
            var length = (end < 0 ? filled : end + 1) - start;
            foreach (var (part, partOffset) in Split(buffer.AsMemory(start, length), offset))
                yield return Parse(part.Span, ++number, Where(partOffset), unimarc);
            start += length;
            offset += length;
        }
    }

    static string Where(long offset) => $"octet {offset}";

    /// <summary>
    /// A chunk up to a record terminator normally holds one record. When a terminator is missing, the
    /// chunk holds two or more: they are split where each leader's declared length ends, if another
    /// leader starts there.
    /// </summary>
    static IEnumerable<(ReadOnlyMemory<byte>, long)> Split(ReadOnlyMemory<byte> chunk, long offset)
    {
        while (true)
        {
            // The declared length may or may not count the missing terminator.
            var n = DeclaredLength(chunk.Span) is { } declared ? new[] { declared, declared - 1 }.FirstOrDefault(at => StartsAnother(chunk.Span, at)) : 0;
            if (n > 0)
            {
                yield return (chunk[..n], offset);
                chunk = chunk[n..];
                offset += n;
                continue;
            }
            yield return (chunk, offset);
            yield break;
        }
    }

    static bool StartsAnother(ReadOnlySpan<byte> chunk, int at) =>
        at >= 25 && at < chunk.Length && chunk[at - 1] == FieldTerminator && LooksLikeLeader(chunk[at..]);

    static int? DeclaredLength(ReadOnlySpan<byte> data) => data.Length >= 5 && Digits(data[..5]) is { } n ? n : null;

    static bool LooksLikeLeader(ReadOnlySpan<byte> data) =>
        data.Length >= 24 && Digits(data[..5]) is not null && Digits(data[12..17]) is not null;

    static int? Digits(ReadOnlySpan<byte> data)
    {
        var n = 0;
        foreach (var b in data)
        {
            if (b is < (byte)'0' or > (byte)'9') return null;
            n = n * 10 + (b - '0');
        }
        return n;
    }

    static MarcEntry Parse(ReadOnlySpan<byte> data, int number, string position, bool unimarc)
    {
        MarcEntry Fault(string reason) => new(number, position, null, reason);
        if (data.Length > 0 && data[^1] == RecordTerminator) data = data[..^1];
        if (data.Length < 25) return Fault($"Notice tronquée ({data.Length} octets).");
        var leaderBytes = data[..24];
        if (Digits(leaderBytes[12..17]) is not { } baseAddress || baseAddress < 25 || baseAddress > data.Length)
            return Fault("Guide (leader) illisible : l'adresse des données (positions 12 à 16) est absente ou hors de la notice.");
        var leader = Encoding.ASCII.GetString(leaderBytes);
        var encoding = unimarc ? (IsUtf8(data) ? Encoding.UTF8 : Encoding.Latin1) : leader[9] == 'a' ? Encoding.UTF8 : null;

        var directory = data[24..(baseAddress - 1)];
        if (data[baseAddress - 1] != FieldTerminator) directory = data[24..baseAddress].TrimEnd(FieldTerminator);
        if (directory.Length % 12 != 0) return Fault($"Répertoire illisible ({directory.Length} octets, pas un multiple de 12).");
        var content = data[baseAddress..];
        var entries = new List<(string Tag, int Length, int Start)>(directory.Length / 12);
        for (var i = 0; i < directory.Length; i += 12)
        {
            var entry = directory.Slice(i, 12);
            if (Digits(entry[3..7]) is not { } len || Digits(entry[7..12]) is not { } at)
                return Fault($"Entrée {i / 12 + 1} du répertoire illisible.");
            entries.Add((Encoding.ASCII.GetString(entry[..3]), len, at));
        }

        // The directory is trusted when every field it points to ends with a field terminator where it says.
        var fields = new List<MarcField>(entries.Count);
        var trusted = true;
        foreach (var (_, len, at) in entries)
            trusted &= len > 0 && at + len <= content.Length && content[at + len - 1] == FieldTerminator;
        if (trusted)
        {
            foreach (var (tag, len, at) in entries) fields.Add(ToField(tag, content.Slice(at, len - 1), encoding));
        }
        else
        {
            var at = 0;
            foreach (var (tag, _, _) in entries)
            {
                if (at > content.Length) return Fault($"Champ {tag} introuvable : le répertoire ne correspond pas aux données.");
                var rest = content[at..];
                var stop = rest.IndexOf(FieldTerminator);
                var field = stop < 0 ? rest : rest[..stop];
                fields.Add(ToField(tag, field, encoding));
                at += field.Length + 1;
            }
        }
        return new MarcEntry(number, position, new MarcRecord(leader, fields), null);
    }

    static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    static bool IsUtf8(ReadOnlySpan<byte> data)
    {
        try
        {
            StrictUtf8.GetCharCount(data);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>A field's bytes as text: <paramref name="encoding"/> null means MARC-8.</summary>
    static MarcField ToField(string tag, ReadOnlySpan<byte> data, Encoding? encoding)
    {
        var text = encoding is null ? Marc8.Decode(data) : encoding.GetString(data).Normalize(NormalizationForm.FormC);
        if (IsControlTag(tag)) return new MarcField(tag, value: text);
        var parts = text.Split((char)SubfieldDelimiter);
        var indicators = parts[0];
        var subfields = new List<MarcSubfield>(parts.Length - 1);
        foreach (var part in parts.AsSpan(1))
            if (part.Length > 0) subfields.Add(new MarcSubfield(part[0], part[1..]));
        return new MarcField(tag, indicators.Length > 0 ? indicators[0] : ' ', indicators.Length > 1 ? indicators[1] : ' ', subfields: subfields);
    }

    /// <summary>00X fields hold data without indicators or subfields.</summary>
    public static bool IsControlTag(string tag) => tag.Length == 3 && tag[0] == '0' && tag[1] == '0';
}
