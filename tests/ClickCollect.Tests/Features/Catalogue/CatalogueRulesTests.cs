using ClickCollect.Api.Features.Catalogue;

namespace ClickCollect.Tests.Features.Catalogue;

public sealed class CatalogueRulesTests
{
    static readonly Dictionary<string, long> Branches = new(StringComparer.OrdinalIgnoreCase) { ["CEN"] = 1, ["NORD"] = 2 };

    static CatalogueRow Row(int line, string recordId = "R1", string? barcode = null) => new()
    {
        Line = line,
        RecordId = recordId,
        Title = "Nana",
        Language = "fr",
        Authors = ["Zola, Émile"],
        Barcode = barcode,
        BranchCode = barcode is null ? null : "CEN",
    };

    static string Check(params CatalogueRow[] rows) =>
        string.Join(" ", CatalogueRules.Check(rows, Branches, 2026).Select(r => $"{r.Line}.{r.Field}"));

    [Fact]
    public void Valid_rows_pass() => Assert.Equal("", Check(Row(2, barcode: "B1"), Row(3, barcode: "B2"), Row(4, "R2")));

    static readonly Dictionary<string, (CatalogueRow Row, string Expected)> BadRows = new()
    {
        ["no record id"] = (Row(2) with { RecordId = "" }, "2.recordId"),
        ["no title"] = (Row(2) with { Title = " " }, "2.title"),
        ["year before printing"] = (Row(2) with { Year = 1399 }, "2.year"),
        ["year after next year"] = (Row(2) with { Year = 2028 }, "2.year"),
        ["language not ISO 639-1"] = (Row(2) with { Language = "fra" }, "2.language"),
        ["isbn of 11 digits"] = (Row(2) with { Isbn = "978-2-07-036" }, "2.isbn"),
        ["unknown branch"] = (Row(2, barcode: "B1") with { BranchCode = "SUD" }, "2.branchCode"),
        ["copy without a branch"] = (Row(2, barcode: "B1") with { BranchCode = null }, "2.branchCode"),
        ["branch without a barcode"] = (Row(2) with { BranchCode = "CEN" }, "2.barcode"),
        ["a status ClickCollect owns"] = (Row(2, barcode: "B1") with { Status = CopyStatus.Held }, "2.status"),
    };

    public static TheoryData<string> Bad => new(BadRows.Keys);

    [Theory]
    [MemberData(nameof(Bad))]
    public void A_bad_value_is_refused_on_its_line_and_column(string because)
    {
        var (row, expected) = BadRows[because];
        Assert.Equal(expected, Check(row));
    }

    [Fact]
    public void Years_at_the_edges_and_hyphenated_ISBNs_pass() =>
        Assert.Equal("", Check(Row(2) with { Year = 1400, Isbn = "2-07-036002-X" }, Row(3, "R2") with { Year = 2027, Isbn = "978 2 07 036002 4" }));

    [Fact]
    public void Branch_codes_are_matched_without_regard_to_case() =>
        Assert.Equal("", Check(Row(2, barcode: "B1") with { BranchCode = "nord" }));

    [Fact]
    public void A_barcode_seen_earlier_in_the_file_is_refused_on_its_second_line() =>
        Assert.Equal("5.barcode", Check(Row(2, barcode: "B1"), Row(3, "R2", "B2"), Row(5, "R3", "B1")));

    [Fact]
    public void Rows_of_one_record_that_describe_different_titles_are_refused_field_by_field() =>
        Assert.Equal("4.title 4.year", Check(Row(2, barcode: "B1"), Row(3, barcode: "B2"), Row(4, barcode: "B3") with { Title = "Nana (suite)", Year = 1880 }));

    [Fact]
    public void A_held_copy_stays_held_when_the_library_system_says_on_shelf()
    {
        Assert.Equal(CopyStatus.Held, CatalogueImportPlan.EffectiveStatus(CopyStatus.Held, CopyStatus.OnShelf));
        Assert.Equal(CopyStatus.InTransit, CatalogueImportPlan.EffectiveStatus(CopyStatus.InTransit, CopyStatus.OnShelf));
        Assert.Equal(CopyStatus.OnLoan, CatalogueImportPlan.EffectiveStatus(CopyStatus.Held, CopyStatus.OnLoan));
        Assert.Equal(CopyStatus.Withdrawn, CatalogueImportPlan.EffectiveStatus(CopyStatus.OnShelf, CopyStatus.Withdrawn));
    }
}
