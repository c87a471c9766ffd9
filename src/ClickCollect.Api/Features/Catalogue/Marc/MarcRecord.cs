namespace ClickCollect.Api.Features.Catalogue.Marc;

/// <summary>One subfield of a data field: its code ("a") and its text, already decoded to Unicode (NFC).</summary>
internal readonly record struct MarcSubfield(char Code, string Value);

/// <summary>
/// A field of a MARC record: a control field (tags 001–009) has a <see cref="Value"/>; a data field has two
/// indicators and subfields. Only what the import needs; not a general-purpose MARC model.
/// </summary>
internal sealed class MarcField(string tag, char indicator1 = ' ', char indicator2 = ' ', string? value = null, IReadOnlyList<MarcSubfield>? subfields = null)
{
    public string Tag => tag;
    public char Indicator1 => indicator1;
    public char Indicator2 => indicator2;
    public string? Value => value;
    public IReadOnlyList<MarcSubfield> Subfields => subfields ?? [];
    public bool IsControl => value is not null;

    public string? First(char code)
    {
        foreach (var s in Subfields)
            if (s.Code == code && s.Value.Length > 0) return s.Value;
        return null;
    }

    public IEnumerable<string> All(char code) => Subfields.Where(s => s.Code == code && s.Value.Length > 0).Select(s => s.Value);

    /// <summary>The values of the given codes, in the field's order, joined with a space ("245 $a $b").</summary>
    public string Join(string codes) => string.Join(' ', Subfields.Where(s => codes.Contains(s.Code) && s.Value.Length > 0).Select(s => s.Value.Trim()));
}

/// <summary>
/// A bibliographic record read from ISO 2709 or MARCXML. <see cref="Number"/> is its rank in the file
/// (from 1) and <see cref="Position"/> says where it starts ("octet 1234", "ligne 56"), for reports.
/// </summary>
internal sealed class MarcRecord(string leader, IReadOnlyList<MarcField> fields)
{
    public string Leader => leader;
    public IReadOnlyList<MarcField> Fields => fields;

    /// <summary>Leader position 6: a, t = text; g = projected medium; i, j = sound; z, w, … = authority or classification records.</summary>
    public char TypeOfRecord => leader.Length > 6 ? leader[6] : ' ';

    public string? Control(string tag) => fields.FirstOrDefault(f => f.Tag == tag && f.IsControl)?.Value;

    public IEnumerable<MarcField> DataFields(string tag) => fields.Where(f => f.Tag == tag && !f.IsControl);

    public string? First(string tag, char code)
    {
        foreach (var f in DataFields(tag))
            if (f.First(code) is { } value) return value;
        return null;
    }
}

/// <summary>What a reader yields for each record in a file: the record, or why it was skipped.</summary>
internal sealed record MarcEntry(int Number, string Position, MarcRecord? Record, string? Error);
