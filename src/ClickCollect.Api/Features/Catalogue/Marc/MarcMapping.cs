using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ClickCollect.Api.Features.Catalogue.Marc;

internal enum MarcFlavour { Marc21, Unimarc }

/// <summary>A record turned into catalogue rows: one per copy (or one without a copy), plus what was left out and why.</summary>
internal sealed record MappedRecord(string? RecordId, CatalogueRow? Title, IReadOnlyList<CatalogueRow> Copies, IReadOnlyList<MarcProblem> Problems)
{
    /// <summary>Every barcode the record names, even of copies left out: those are never withdrawn as "gone".</summary>
    public IEnumerable<string> Barcodes => Copies.Select(c => c.Barcode!).Concat(Problems.Where(p => p.Barcode is not null).Select(p => p.Barcode!));
}

/// <summary>Why a record (no <see cref="Barcode"/>) or one of its copies was left out; <see cref="Field"/> as "245" or "852$p".</summary>
internal sealed record MarcProblem(string Field, string Reason, string? Barcode = null);

/// <summary>
/// MARC 21 and UNIMARC bibliographic records → titles and copies (field by field in README.md next to
/// this file). Pure. Tolerant where a catalogue is commonly untidy: ISBD punctuation is stripped,
/// an unreadable ISBN or year is dropped rather than refusing the record, too-long texts are cut.
/// A record is refused only without an identifier or a title, or when it is not bibliographic
/// (authority and classification records share the format).
/// </summary>
internal static partial class MarcMapping
{
    public static MappedRecord Map(MarcRecord record, MarcFlavour flavour, MarcImportOptions options, int currentYear)
    {
        var recordId = RecordId(record, options);
        MappedRecord Refuse(string field, string reason, IEnumerable<string>? barcodes = null) =>
            new(recordId, null, [], [new MarcProblem(field, reason), .. (barcodes ?? []).Select(b => new MarcProblem(field, "Notice refusée", b))]);

        var layouts = flavour == MarcFlavour.Marc21 ? options.Marc21 : options.Unimarc;
        var copies = ReadCopies(record, layouts, options, out var copyProblems);
        if (record.TypeOfRecord is not ('a' or 't' or 'c' or 'd' or 'e' or 'f' or 'g' or 'i' or 'j' or 'k' or 'm' or 'o' or 'p' or 'r' or 'l' or 'b'))
            return Refuse("leader", $"Notice non bibliographique (type « {record.TypeOfRecord} » en position 6 du guide : autorité, classification ou exemplaires).");
        if (recordId is null)
            return Refuse(options.RecordId, $"Notice sans identifiant ({options.RecordId}).", copies.Select(c => c.Barcode!));

        var bib = flavour == MarcFlavour.Marc21 ? Marc21(record, options, currentYear) : Unimarc(record, options, currentYear);
        if (bib.Title.Length == 0)
            return Refuse(flavour == MarcFlavour.Marc21 ? "245" : "200", "Notice sans titre.", copies.Select(c => c.Barcode!));
        var title = bib with { RecordId = recordId };
        return new MappedRecord(recordId, title, copies.Select(c => title with
        {
            Barcode = c.Barcode, BranchCode = c.BranchCode, ShelfLocation = c.ShelfLocation, CallNumber = c.CallNumber, Status = c.Status,
        }).ToList(), copyProblems);
    }

    static string? RecordId(MarcRecord record, MarcImportOptions options)
    {
        var spec = options.RecordId;
        var value = spec.Length == 3 ? record.Control(spec) : spec.Length == 5 && spec[3] == '$' ? record.First(spec[..3], spec[4]) : null;
        value = value?.Trim();
        return string.IsNullOrEmpty(value) ? null : Cut(value, 100);
    }

    static CatalogueRow Marc21(MarcRecord r, MarcImportOptions options, int currentYear)
    {
        var f008 = r.Control("008") ?? "";
        var t245 = r.DataFields("245").FirstOrDefault();
        var title = t245 is null ? "" : Join(Clean(t245.First('a')), " : ", Clean(t245.First('b')), ". ", Clean(t245.Join("np")));
        var authors = new[] { "100", "110", "111", "700", "710", "711" }
            .SelectMany(tag => r.DataFields(tag).Select(f => tag[1] == '0' ? Clean(f.First('a')) : Join(Clean(f.First('a')), ". ", Clean(f.Join("b")))));
        var imprint = r.DataFields("264").Where(f => f.Indicator2 == '1').Concat(r.DataFields("260")).ToList();
        var genres = new[] { "650", "651", "655" }.SelectMany(tag => r.DataFields(tag).Select(f => Clean(f.First('a')))).ToList();
        var subdivisions = new[] { "650", "651", "655" }.SelectMany(r.DataFields).SelectMany(f => f.Subfields).Select(s => s.Value);
        var year = Year(imprint.Select(f => f.First('c')).FirstOrDefault(c => c is not null), currentYear)
                   ?? Year(f008.Length >= 11 ? f008[7..11] : null, currentYear);
        var language = Language(f008.Length >= 38 ? f008[35..38] : null) ?? Language(r.First("041", 'a')?[..Math.Min(3, r.First("041", 'a')!.Length)]);

        // 008/22 is the target audience for books, music and visual materials.
        var audience = (f008.Length > 22 ? f008[22] : ' ') switch
        {
            'a' or 'b' or 'c' or 'j' => Audience.Children,
            'd' => Audience.Youth,
            _ => subdivisions.Any(s => s.Contains("Juvenile", StringComparison.OrdinalIgnoreCase)) ? Audience.Children : Audience.Adult,
        };
        var format = r.TypeOfRecord switch
        {
            'g' => DocumentFormat.Dvd,
            'i' => DocumentFormat.Audiobook,
            'j' => DocumentFormat.Cd,
            _ when IsComics(genres) => DocumentFormat.Comics,
            _ when f008.Length > 23 && f008[23] == 'd' || (r.Control("007") is { Length: > 1 } f007 && f007[0] == 't' && f007[1] == 'b') => DocumentFormat.LargePrint,
            _ => DocumentFormat.Book,
        };
        return new CatalogueRow
        {
            RecordId = "",
            Isbn = Isbn(r.DataFields("020").Select(f => f.First('a')).Concat(r.DataFields("024").Where(f => f.Indicator1 == '3').Select(f => f.First('a')))),
            Title = Cut(title, 1000),
            Authors = Names(authors),
            Publisher = Optional(Cut(Clean(imprint.Select(f => f.First('b')).FirstOrDefault(b => b is not null)), 200)),
            Year = year,
            Language = language ?? options.DefaultLanguage,
            Audience = audience,
            Format = format,
            Genres = Genres(genres),
        };
    }

    static CatalogueRow Unimarc(MarcRecord r, MarcImportOptions options, int currentYear)
    {
        var f100 = r.First("100", 'a') ?? "";
        var t200 = r.DataFields("200").FirstOrDefault();
        var title = t200 is null ? "" : Join(Clean(t200.First('a')), " : ", Clean(t200.First('e')), ". ", Clean(t200.Join("hi")));
        var authors = new[] { "700", "701", "702", "710", "711", "712" }.SelectMany(tag => r.DataFields(tag).Select(f =>
            tag[1] == '0' ? Join(Clean(f.First('a')), ", ", Clean(f.First('b'))) : Join(Clean(f.First('a')), ". ", Clean(f.Join("b")))));
        var imprint = r.DataFields("214").Concat(r.DataFields("210")).ToList();
        var genres = new[] { "606", "607", "608", "610" }.SelectMany(tag => r.DataFields(tag).Select(f => Clean(f.First('a')))).ToList();
        var year = Year(imprint.Select(f => f.First('d')).FirstOrDefault(d => d is not null), currentYear)
                   ?? Year(f100.Length >= 13 ? f100[9..13] : null, currentYear);

        // 100 $a positions 17–19: target audience codes (UNIMARC Bibliographic, field 100).
        var audience = (f100.Length > 17 ? f100[17] : ' ') switch
        {
            'a' or 'b' or 'c' => Audience.Children,
            'd' or 'e' => Audience.Youth,
            _ => Audience.Adult,
        };
        var format = r.TypeOfRecord switch
        {
            'g' => DocumentFormat.Dvd,
            'i' => DocumentFormat.Audiobook,
            'j' => DocumentFormat.Cd,
            _ when IsComics(genres) => DocumentFormat.Comics,
            _ when r.First("106", 'a') is { Length: > 0 } f106 && f106[0] == 'd' => DocumentFormat.LargePrint, // 106 $a d: large print
            _ => DocumentFormat.Book,
        };
        return new CatalogueRow
        {
            RecordId = "",
            Isbn = Isbn(r.DataFields("010").Select(f => f.First('a')).Concat(r.DataFields("073").Select(f => f.First('a')))),
            Title = Cut(title, 1000),
            Authors = Names(authors),
            Publisher = Optional(Cut(Clean(imprint.Select(f => f.First('c')).FirstOrDefault(c => c is not null)), 200)),
            Year = year,
            Language = Language(r.First("101", 'a')) ?? options.DefaultLanguage,
            Audience = audience,
            Format = format,
            Genres = Genres(genres),
        };
    }

    sealed record CopyParts(string Barcode, string BranchCode, string? ShelfLocation, string? CallNumber, CopyStatus Status);

    static List<CopyParts> ReadCopies(MarcRecord record, IReadOnlyList<HoldingsLayout> layouts, MarcImportOptions options, out List<MarcProblem> problems)
    {
        problems = [];
        var copies = new List<CopyParts>();
        foreach (var layout in layouts)
        {
            foreach (var field in record.DataFields(layout.Tag))
            {
                string? Sub(string codes) => codes.Length == 0 ? null : Optional(CatalogueCsv.Clean(field.Join(codes)));
                var raw = Sub(layout.Barcode);
                var barcode = raw is null ? null : Barcode(raw);
                var where = $"{layout.Tag}${layout.Barcode}";
                if (barcode is null)
                {
                    problems.Add(new MarcProblem(where, raw is null ? "Exemplaire sans code-barres : ignoré." : $"Code-barres illisible « {raw} » : exemplaire ignoré."));
                    continue;
                }
                var branch = Sub(layout.Branch) is { } code ? options.MapBranch(code) : options.DefaultBranch;
                if (branch is null)
                {
                    problems.Add(new MarcProblem($"{layout.Tag}${layout.Branch}", $"Exemplaire {barcode} sans bibliothèque, et MarcImport:DefaultBranch n'est pas réglé : ignoré.", barcode));
                    continue;
                }
                var status = Flag(Sub(layout.Withdrawn)) ? CopyStatus.Withdrawn
                    : Flag(Sub(layout.Lost)) ? CopyStatus.Lost
                    : Sub(layout.OnLoan) is not null ? CopyStatus.OnLoan
                    : CopyStatus.OnShelf;
                copies.Add(new CopyParts(barcode, branch, Optional(Cut(Sub(layout.Location) is { } l ? options.MapLocation(l) : null, 100)),
                    Optional(Cut(Sub(layout.CallNumber), 100)), status));
            }
        }
        return copies;

        static bool Flag(string? value) => value is not null && value != "0";
    }

    /// <summary>
    /// Barcodes as scanners read them: letters and digits (and inner hyphens). Exports often carry a
    /// stray check character or space ("3CPL000018270-", "3CPL000018271.", "3CPL000018273$").
    /// </summary>
    internal static string? Barcode(string raw)
    {
        var kept = new string(raw.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').ToArray()).Trim('-');
        return kept.Length is > 0 and <= 50 ? kept : null;
    }

    static string? Isbn(IEnumerable<string?> candidates)
    {
        foreach (var candidate in candidates)
        {
            if (candidate is null) continue;
            var m = IsbnPattern().Match(candidate);
            if (!m.Success) continue;
            var digits = TitleData.NormaliseIsbn(m.Value);
            if (digits.Length is 10 or 13 && !digits[..^1].Contains('X')) return digits;
        }
        return null;
    }

    static int? Year(string? text, int currentYear)
    {
        if (text is null) return null;
        var m = YearPattern().Match(text);
        if (!m.Success) return null;
        var year = int.Parse(m.Value, CultureInfo.InvariantCulture);
        return year >= CatalogueRules.FirstYear && year <= currentYear + 1 ? year : null;
    }

    static string? Language(string? code) =>
        code is { Length: >= 3 } && Languages.TryGetValue(code[..3].ToLowerInvariant(), out var iso) ? iso : null;

    static bool IsComics(IEnumerable<string> genres) => genres.Any(g =>
        g.Contains("bande dessinée", StringComparison.OrdinalIgnoreCase) || g.Contains("bandes dessinées", StringComparison.OrdinalIgnoreCase)
        || g.Contains("comic", StringComparison.OrdinalIgnoreCase) || g.Contains("graphic novel", StringComparison.OrdinalIgnoreCase)
        || g.Contains("manga", StringComparison.OrdinalIgnoreCase));

    static string[] Names(IEnumerable<string> names) =>
        names.Where(n => n.Length > 0).Select(n => Cut(n.Replace(';', ','), 200)!).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    static string[] Genres(IEnumerable<string> genres) =>
        genres.Where(g => g.Length > 0).Select(g => Cut(g.Replace(CatalogueText.GenreSeparator, '/'), 100)!)
            .Distinct(StringComparer.OrdinalIgnoreCase).Take(20).ToArray();

    static string Join(string first, string separator, string second, string partSeparator = "", string part = "")
    {
        var text = second.Length > 0 ? $"{first}{separator}{second}" : first;
        return part.Length > 0 ? $"{text}{partSeparator}{part}" : text;
    }

    /// <summary>A subfield without ISBD punctuation ("Rising tides /" → "Rising tides", "Roberts, Nora." → "Roberts, Nora"), an initial's full stop kept ("Phillips, Michael R.").</summary>
    internal static string Clean(string? value)
    {
        if (value is null) return "";
        var text = CatalogueCsv.Clean(value).TrimEnd(' ', '/', ':', ';', ',', '=');
        if (text.Length > 1 && text[0] == '[' && text.IndexOf(']') == text.Length - 1) text = text[1..^1].Trim();
        var initial = text.Length >= 3 && char.IsUpper(text[^2]) && text[^3] is ' ' or '.';
        if (text.EndsWith('.') && !initial && !text.EndsWith("...", StringComparison.Ordinal)) text = text[..^1];
        return text.TrimEnd(' ', '/', ':', ';', ',', '=');
    }

    static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    static string? Cut(string? value, int max) => value is null ? null : value.Length <= max ? value : value[..max].TrimEnd();

    [GeneratedRegex(@"[0-9][0-9\- ]{8,16}[0-9Xx]")]
    private static partial Regex IsbnPattern();

    [GeneratedRegex("(?<![0-9])[0-9]{4}(?![0-9])")]
    private static partial Regex YearPattern();

    /// <summary>MARC language codes (ISO 639-2, bibliographic and terminology forms) → ISO 639-1.</summary>
    static readonly Dictionary<string, string> Languages = new()
    {
        ["fre"] = "fr", ["fra"] = "fr", ["eng"] = "en", ["ger"] = "de", ["deu"] = "de", ["spa"] = "es", ["ita"] = "it",
        ["por"] = "pt", ["dut"] = "nl", ["nld"] = "nl", ["lat"] = "la", ["gre"] = "el", ["ell"] = "el", ["rus"] = "ru",
        ["ara"] = "ar", ["chi"] = "zh", ["zho"] = "zh", ["jpn"] = "ja", ["kor"] = "ko", ["heb"] = "he", ["pol"] = "pl",
        ["cze"] = "cs", ["ces"] = "cs", ["dan"] = "da", ["swe"] = "sv", ["nor"] = "no", ["fin"] = "fi", ["hun"] = "hu",
        ["tur"] = "tr", ["rum"] = "ro", ["ron"] = "ro", ["bre"] = "br", ["baq"] = "eu", ["eus"] = "eu", ["cat"] = "ca",
        ["oci"] = "oc", ["cos"] = "co", ["gle"] = "ga", ["wel"] = "cy", ["cym"] = "cy", ["vie"] = "vi", ["per"] = "fa",
        ["fas"] = "fa", ["hin"] = "hi", ["ukr"] = "uk", ["bul"] = "bg", ["hrv"] = "hr", ["srp"] = "sr", ["slo"] = "sk",
        ["slk"] = "sk", ["slv"] = "sl", ["ice"] = "is", ["isl"] = "is", ["alb"] = "sq", ["sqi"] = "sq", ["arm"] = "hy",
        ["hye"] = "hy", ["tha"] = "th", ["wol"] = "wo", ["bam"] = "bm", ["lin"] = "ln", ["swa"] = "sw", ["yid"] = "yi",
        ["esp"] = "eo", ["epo"] = "eo", ["ltz"] = "lb", ["glg"] = "gl", ["ind"] = "id", ["may"] = "ms", ["msa"] = "ms",
    };
}
