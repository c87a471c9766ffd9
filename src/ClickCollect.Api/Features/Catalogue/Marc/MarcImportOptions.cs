namespace ClickCollect.Api.Features.Catalogue.Marc;

/// <summary>
/// How a library's MARC exports map to ClickCollect; section "MarcImport". Every library system puts
/// its items in its own field, and names its branches and shelving locations with its own codes:
/// those are set here, per library (examples for Koha in Features/Catalogue/Marc/README.md).
/// </summary>
internal sealed class MarcImportOptions
{
    public const string Section = "MarcImport";

    /// <summary>
    /// The fields that describe copies in MARC 21 records, tried in order (a record may use several).
    /// Empty: 852 (the MARC 21 holdings field) then 952 (Koha).
    /// </summary>
    public List<HoldingsLayout> Marc21Holdings { get; set; } = [];

    /// <summary>The fields that describe copies in UNIMARC records. Empty: 995 as Koha and most French systems write it.</summary>
    public List<HoldingsLayout> UnimarcHoldings { get; set; } = [];

    /// <summary>The library system's branch code → a ClickCollect branch code. A code not listed is looked up as it is.</summary>
    public Dictionary<string, string> Branches { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The library system's shelving location code → the label staff read on pick lists. A code not listed is kept as it is.</summary>
    public Dictionary<string, string> Locations { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The ClickCollect branch of copies whose holdings field names no branch (e.g. a one-library export); none: such copies are refused.</summary>
    public string? DefaultBranch { get; set; }

    /// <summary>Where the record identifier is: a control field ("001") or a subfield ("999$c", Koha's biblionumber).</summary>
    public string RecordId { get; set; } = "001";

    /// <summary>ISO 639-1 code used when a record gives no language, or one without a two-letter code.</summary>
    public string DefaultLanguage { get; set; } = "fr";

    /// <summary>Records written per transaction. Memory grows with this, not with the file.</summary>
    public int BatchSize { get; set; } = 500;

    public IReadOnlyList<HoldingsLayout> Marc21 => Marc21Holdings.Count > 0 ? Marc21Holdings : [HoldingsLayout.Marc21852, HoldingsLayout.Koha952];
    public IReadOnlyList<HoldingsLayout> Unimarc => UnimarcHoldings.Count > 0 ? UnimarcHoldings : [HoldingsLayout.Koha995];

    public string MapBranch(string code) => Branches.TryGetValue(code, out var mapped) ? mapped : code;
    public string MapLocation(string code) => Locations.TryGetValue(code, out var mapped) ? mapped : code;
}

/// <summary>
/// Where a holdings field keeps each part of a copy: subfield codes (a single letter or digit; several
/// letters for a call number in parts, joined with a space). Empty: not in this field.
/// </summary>
internal sealed class HoldingsLayout
{
    public string Tag { get; set; } = "";
    public string Barcode { get; set; } = "";
    public string Branch { get; set; } = "";
    public string Location { get; set; } = "";
    public string CallNumber { get; set; } = "";
    /// <summary>Any value but empty or "0" means the copy is withdrawn.</summary>
    public string Withdrawn { get; set; } = "";
    /// <summary>Any value but empty or "0" means the copy is lost.</summary>
    public string Lost { get; set; } = "";
    /// <summary>A value (the due date) means the copy is on loan.</summary>
    public string OnLoan { get; set; } = "";

    /// <summary>MARC 21 Format for Holdings Data, 852: $b location (branch), $c shelving location, $h $i call number, $p barcode.</summary>
    public static readonly HoldingsLayout Marc21852 = new() { Tag = "852", Branch = "b", Location = "c", CallNumber = "hi", Barcode = "p" };

    /// <summary>Koha's items in MARC 21: $a home branch, $c location, $o call number, $p barcode, $0 withdrawn, $1 lost, $q due date.</summary>
    public static readonly HoldingsLayout Koha952 = new()
    {
        Tag = "952", Branch = "a", Location = "c", CallNumber = "o", Barcode = "p", Withdrawn = "0", Lost = "1", OnLoan = "q",
    };

    /// <summary>Koha's items in UNIMARC (995, the French "exemplaire"): $b owning branch, $e location, $k call number, $f barcode, $0 withdrawn, $2 lost, $n due date.</summary>
    public static readonly HoldingsLayout Koha995 = new()
    {
        Tag = "995", Branch = "b", Location = "e", CallNumber = "k", Barcode = "f", Withdrawn = "0", Lost = "2", OnLoan = "n",
    };
}
