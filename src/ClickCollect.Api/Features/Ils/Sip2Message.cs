using System.Globalization;
using System.Text;

namespace ClickCollect.Api.Features.Ils;

/// <summary>
/// A SIP2 2.00 message as it travels: a two-digit command code, fixed-length fields, then
/// variable-length fields (a two-letter id, the value, <c>|</c>), optionally closed by the error
/// detection trailer <c>AY</c>&lt;sequence digit&gt;<c>AZ</c>&lt;checksum: 4 hex digits&gt;, and a carriage return.
/// </summary>
internal sealed class Sip2Message(string code, string fixedPart, IReadOnlyList<KeyValuePair<string, string>> fields, char? sequence = null)
{
    public string Code { get; } = code;
    public string Fixed { get; } = fixedPart;
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; } = fields;
    public char? Sequence { get; } = sequence;

    /// <summary>The first value of the variable field <paramref name="id"/>, or null.</summary>
    public string? this[string id] => Fields.FirstOrDefault(f => f.Key == id).Value;

    /// <summary>Fields that carry secrets: the login password (CO), terminal password (AC) and patron password (AD).</summary>
    static readonly HashSet<string> Secret = ["CO", "AC", "AD"];

    /// <summary>The message for the log: every secret replaced by <c>***</c>, the trailer left out.</summary>
    public string ToLogString()
    {
        var text = new StringBuilder(Code).Append(Fixed);
        foreach (var (id, value) in Fields) text.Append(id).Append(Secret.Contains(id) && value.Length > 0 ? "***" : value).Append('|');
        return text.ToString();
    }

    /// <summary>The wire text, without the terminating carriage return; the trailer when <paramref name="errorDetection"/>.</summary>
    public string Format(Encoding encoding, bool errorDetection, char sequence)
    {
        var text = new StringBuilder(Code).Append(Fixed);
        foreach (var (id, value) in Fields) text.Append(id).Append(Clean(value)).Append('|');
        if (!errorDetection) return text.ToString();
        text.Append("AY").Append(sequence).Append("AZ");
        return text.Append(Sip2Checksum.Compute(encoding.GetBytes(text.ToString()))).ToString();
    }

    // A value never carries the field separator or the message terminator.
    static string Clean(string value) => value.Replace("|", "").Replace("\r", "").Replace("\n", "");

    /// <summary>Fixed-part lengths of the answers this client reads (SIP2 2.00, per command code).</summary>
    static readonly Dictionary<string, int> FixedLengths = new()
    {
        ["94"] = 1,                       // ok
        ["98"] = 6 + 3 + 3 + 18 + 4,      // online, checkin ok, checkout ok, renewal policy, status update ok, offline ok; timeout; retries; date/time sync; protocol version
        ["64"] = 14 + 3 + 18 + 6 * 4,     // patron status; language; transaction date; hold, overdue, charged, fine, recall, unavailable hold counts
        ["12"] = 4 + 18,                  // ok, renewal ok, magnetic media, desensitize; transaction date
        ["10"] = 4 + 18,                  // ok, resensitize, magnetic media, alert; transaction date
        ["18"] = 2 + 2 + 2 + 18,          // circulation status, security marker, fee type; transaction date
        ["96"] = 0,
    };

    /// <summary>
    /// Reads an answer. With <paramref name="errorDetection"/> the trailer must be there and its checksum
    /// right (<see cref="Sip2ChecksumException"/> otherwise); anything else that is not a well-formed
    /// message of a known code is a <see cref="Sip2ProtocolException"/>.
    /// </summary>
    public static Sip2Message Parse(byte[] raw, Encoding encoding, bool errorDetection)
    {
        var text = encoding.GetString(raw);
        char? sequence = null;
        var body = text;
        var az = text.LastIndexOf("AZ", StringComparison.Ordinal);
        var hasTrailer = az >= 0 && az == text.Length - 6 && IsHex(text[(az + 2)..]);
        if (errorDetection && !hasTrailer) throw new Sip2ChecksumException("the answer has no checksum (AZ)");
        if (hasTrailer)
        {
            var checkedBytes = encoding.GetByteCount(text[..(az + 2)]);
            if (Sip2Checksum.Compute(raw.AsSpan(0, checkedBytes)) != text[(az + 2)..].ToUpperInvariant())
                throw new Sip2ChecksumException("the answer's checksum (AZ) is wrong");
            body = text[..az];
            if (body.Length >= 3 && body[^3..^1] == "AY")
            {
                sequence = body[^1];
                body = body[..^3];
            }
        }
        if (body.Length < 2 || !FixedLengths.TryGetValue(body[..2], out var fixedLength))
            throw new Sip2ProtocolException($"unknown answer code \"{(body.Length >= 2 ? body[..2] : body)}\"");
        if (body.Length < 2 + fixedLength) throw new Sip2ProtocolException($"answer {body[..2]} is too short ({body.Length} characters)");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var piece in body[(2 + fixedLength)..].Split('|'))
        {
            if (piece.Length == 0) continue;
            if (piece.Length < 2) throw new Sip2ProtocolException($"answer {body[..2]} has a malformed field \"{piece}\"");
            fields.Add(new(piece[..2], piece[2..]));
        }
        return new Sip2Message(body[..2], body[2..(2 + fixedLength)], fields, sequence);
    }

    static bool IsHex(string s) => s.Length == 4 && s.All(Uri.IsHexDigit);
}

/// <summary>The SIP2 checksum: the binary sum of the message's bytes up to and including "AZ", negated, as 4 upper-case hex digits.</summary>
internal static class Sip2Checksum
{
    public static string Compute(ReadOnlySpan<byte> bytes)
    {
        var sum = 0;
        foreach (var b in bytes) sum += b;
        return ((-sum) & 0xFFFF).ToString("X4", CultureInfo.InvariantCulture);
    }
}

/// <summary>SIP2 dates: 18 characters, YYYYMMDDZZZZHHMMSS, the zone "   Z" for UTC.</summary>
internal static class Sip2Date
{
    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'   Z'HHmmss", CultureInfo.InvariantCulture);

    /// <summary>
    /// The date of a due-date field. The standard format starts with YYYYMMDD; some systems send an ISO
    /// date or date-time instead, so both are read. Null when neither.
    /// </summary>
    public static DateOnly? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var v = value.Trim();
        if (v.Length >= 8 && DateOnly.TryParseExact(v[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var compact))
            return compact;
        if (v.Length >= 10 && DateOnly.TryParseExact(v[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
            return iso;
        return null;
    }
}

/// <summary>An answer that is not a well-formed SIP2 message.</summary>
internal class Sip2ProtocolException(string message) : Exception(message);

/// <summary>An answer whose error-detection trailer is missing or wrong: the library system is asked to send it again.</summary>
internal sealed class Sip2ChecksumException(string message) : Sip2ProtocolException(message);

/// <summary>The library system cannot be reached or does not answer usefully: after the retries, or at a refused login.</summary>
internal sealed class IlsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
