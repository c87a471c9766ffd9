using System.Text;

namespace ClickCollect.Api.Features.Catalogue.Marc;

/// <summary>
/// MARC-8 to Unicode, for records whose leader position 9 is blank (Library of Congress, "MARC-8
/// character sets", https://www.loc.gov/marc/specifications/speccharmarc8.html). Covers what public
/// library catalogues in Latin script carry: ASCII, ANSEL (letters such as Ł, Ø, Æ, œ and the
/// combining diacritics), the Greek symbols, subscript and superscript sets. A character of another
/// MARC-8 set (Hebrew, Cyrillic, Arabic, Greek, East Asian) becomes U+FFFD: such records are rare in
/// a French public library and are usually exported in UTF-8 anyway.
/// MARC-8 writes a combining mark before its letter, Unicode after it: marks are held until their
/// letter arrives, and the result is normalised to NFC ("e" + acute → "é").
/// </summary>
internal static class Marc8
{
    const byte Escape = 0x1B;

    enum Set { Ascii, Ansel, GreekSymbols, Subscript, Superscript, Unsupported, UnsupportedMultibyte }

    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        var marks = new StringBuilder();
        Set g0 = Set.Ascii, g1 = Set.Ansel;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == Escape && i + 1 < bytes.Length)
            {
                i = ReadEscape(bytes, i, ref g0, ref g1);
                continue;
            }
            if (b < 0x20 || b == 0x7F)
            {
                Flush();
                text.Append((char)b); // delimiters and terminators pass through
                continue;
            }
            if (b is 0x88 or 0x89) continue;                // non-sorting markers: no Unicode meaning here
            if (b is 0x8D) { text.Append('\u200D'); continue; } // joiner
            if (b is 0x8E) { text.Append('\u200C'); continue; } // non-joiner
            var set = b < 0x80 ? g0 : g1;
            if (set == Set.UnsupportedMultibyte)
            {
                i += 2; // East Asian characters take three bytes
                Emit('\uFFFD');
                continue;
            }
            var c = Map(set, (byte)(b & 0x7F));
            if (c is >= '\u0300' and <= '\u036F' or >= '\uFE20' and <= '\uFE23') marks.Append(c);
            else Emit(c);
        }
        Flush();
        return text.ToString().Normalize(NormalizationForm.FormC);

        void Emit(char c)
        {
            text.Append(c);
            Flush();
        }

        void Flush()
        {
            if (marks.Length == 0) return;
            text.Append(marks);
            marks.Clear();
        }
    }

    /// <summary>Reads an escape sequence starting at <paramref name="i"/>; returns the index of its last byte.</summary>
    static int ReadEscape(ReadOnlySpan<byte> bytes, int i, ref Set g0, ref Set g1)
    {
        var next = bytes[i + 1];
        switch (next)
        {
            case (byte)'g': g0 = Set.GreekSymbols; return i + 1;
            case (byte)'b': g0 = Set.Subscript; return i + 1;
            case (byte)'p': g0 = Set.Superscript; return i + 1;
            case (byte)'s': g0 = Set.Ascii; return i + 1;
        }
        var j = i + 1;
        var multibyte = false;
        if (bytes[j] == (byte)'$') { multibyte = true; j++; }
        if (j >= bytes.Length) return bytes.Length - 1;
        var toG1 = false;
        switch (bytes[j])
        {
            case (byte)'(' or (byte)',': j++; break;
            case (byte)')' or (byte)'-': toG1 = true; j++; break;
            default: if (!multibyte) return i; break; // "ESC $ 1": multibyte into G0
        }
        if (j >= bytes.Length) return bytes.Length - 1;
        var set = bytes[j] switch
        {
            (byte)'B' => Set.Ascii,
            (byte)'E' => Set.Ansel,
            (byte)'1' when multibyte => Set.UnsupportedMultibyte,
            _ => Set.Unsupported,
        };
        if (toG1) g1 = set; else g0 = set;
        return j;
    }

    static char Map(Set set, byte b) => set switch
    {
        Set.Ascii => (char)b,
        Set.Ansel => Ansel.TryGetValue(b, out var c) ? c : '\uFFFD',
        Set.GreekSymbols => b switch { 0x61 => 'α', 0x62 => 'β', 0x63 => 'γ', _ => (char)b },
        Set.Subscript => b switch { >= 0x30 and <= 0x39 => (char)('₀' + (b - 0x30)), 0x28 => '₍', 0x29 => '₎', 0x2B => '₊', 0x2D => '₋', _ => (char)b },
        Set.Superscript => b switch
        {
            0x31 => '¹', 0x32 => '²', 0x33 => '³', >= 0x30 and <= 0x39 => (char)('⁰' + (b - 0x30)),
            0x28 => '⁽', 0x29 => '⁾', 0x2B => '⁺', 0x2D => '⁻', _ => (char)b,
        },
        _ => '\uFFFD',
    };

    /// <summary>ANSEL, keyed by the byte without its high bit (G1 0xA1 → 0x21).</summary>
    static readonly Dictionary<byte, char> Ansel = new()
    {
        [0x21] = 'Ł', [0x22] = 'Ø', [0x23] = 'Đ', [0x24] = 'Þ', [0x25] = 'Æ', [0x26] = 'Œ', [0x27] = 'ʹ', [0x28] = '·',
        [0x29] = '♭', [0x2A] = '®', [0x2B] = '±', [0x2C] = 'Ơ', [0x2D] = 'Ư', [0x2E] = 'ʼ', [0x30] = 'ʻ', [0x31] = 'ł',
        [0x32] = 'ø', [0x33] = 'đ', [0x34] = 'þ', [0x35] = 'æ', [0x36] = 'œ', [0x37] = 'ʺ', [0x38] = 'ı', [0x39] = '£',
        [0x3A] = 'ð', [0x3C] = 'ơ', [0x3D] = 'ư', [0x40] = '°', [0x41] = 'ℓ', [0x42] = '℗', [0x43] = '©', [0x44] = '♯',
        [0x45] = '¿', [0x46] = '¡', [0x47] = 'ß', [0x48] = '€',
        // Combining marks (written before their letter in MARC-8).
        [0x60] = '\u0309', [0x61] = '\u0300', [0x62] = '\u0301', [0x63] = '\u0302', [0x64] = '\u0303', [0x65] = '\u0304',
        [0x66] = '\u0306', [0x67] = '\u0307', [0x68] = '\u0308', [0x69] = '\u030C', [0x6A] = '\u030A', [0x6B] = '\uFE20',
        [0x6C] = '\uFE21', [0x6D] = '\u0315', [0x6E] = '\u030B', [0x6F] = '\u0310', [0x70] = '\u0327', [0x71] = '\u0328',
        [0x72] = '\u0323', [0x73] = '\u0324', [0x74] = '\u0325', [0x75] = '\u0333', [0x76] = '\u0332', [0x77] = '\u0326',
        [0x78] = '\u031C', [0x79] = '\u032E', [0x7A] = '\uFE22', [0x7B] = '\uFE23', [0x7E] = '\u0313',
    };
}
