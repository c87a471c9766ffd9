using System.Text;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Infrastructure.Csv;

namespace ClickCollect.Tests.Features.Catalogue;

public sealed class CatalogueCsvTests
{
    static CatalogueFile Parse(string text) => CatalogueCsv.Read(new StringReader(text));

    static string Keys(CatalogueFile file) => string.Join(" ", file.Rejected.Select(r => $"{r.Line}.{r.Field}"));

    [Fact]
    public void Header_names_are_case_insensitive_in_any_order_and_optional_columns_may_be_absent()
    {
        var file = Parse("FORMAT,Title,recordid,Language,AUDIENCE,Authors,Genres\nbook,Nana,R1,FR,Adult,\"Zola, Émile ; Autre, Un\",Roman | Naturalisme\n");
        Assert.Empty(file.Rejected);
        var row = Assert.Single(file.Rows);
        Assert.Equal(("R1", "Nana", "fr", Audience.Adult, DocumentFormat.Book), (row.RecordId, row.Title, row.Language, row.Audience, row.Format));
        Assert.Equal(["Zola, Émile", "Autre, Un"], row.Authors);
        Assert.Equal(["Roman", "Naturalisme"], row.Genres);
        Assert.Null(row.Barcode);
        Assert.Equal(CopyStatus.OnShelf, row.Status);
    }

    [Fact]
    public void A_full_row_is_read_with_every_column()
    {
        var file = Parse($"{string.Join(',', CatalogueCsv.Columns)}\r\nR9,978-2-07-036002-4,L'Étranger,\"Camus, Albert\",Gallimard,1942,fr,adult,largePrint,Roman,B1,CEN,Adultes R,R CAM,onLoan\r\n");
        var row = Assert.Single(file.Rows);
        Assert.Equal((2, "978-2-07-036002-4", "Gallimard", 1942, DocumentFormat.LargePrint), (row.Line, row.Isbn, row.Publisher, row.Year, row.Format));
        Assert.Equal(("B1", "CEN", "Adultes R", "R CAM", CopyStatus.OnLoan), (row.Barcode, row.BranchCode, row.ShelfLocation, row.CallNumber, row.Status));
        Assert.Equal(1, file.Read);
    }

    [Fact]
    public void Line_breaks_and_runs_of_spaces_inside_a_field_become_one_space()
    {
        var file = Parse("recordId,title,language,audience,format\nR1,\"  Le Rouge\r\n et   le Noir \",fr,adult,book\n");
        Assert.Equal("Le Rouge et le Noir", Assert.Single(file.Rows).Title);
    }

    [Fact]
    public void A_header_without_a_required_column_or_with_an_unknown_one_refuses_the_file()
    {
        var file = Parse("recordId,title,audience,format,colour\nR1,Nana,adult,book,red\n");
        Assert.Equal("1.colour 1.language", Keys(file));
        Assert.Empty(file.Rows);
    }

    [Fact]
    public void A_column_named_twice_is_refused() =>
        Assert.Equal("1.title", Keys(Parse("recordId,title,Title,language,audience,format\n")));

    [Fact]
    public void Values_that_cannot_be_read_are_refused_with_their_line_and_column()
    {
        var file = Parse("""
            recordId,title,language,audience,format,year,status,barcode,branchCode
            R1,Nana,fr,adult,book,1880,,B1,CEN
            R2,"Germinal
            (édition illustrée)",fr,grown-up,book,18x5,onShelf,B2,CEN
            R3,Thérèse Raquin,fr,adult,vinyl,1867,held,B3,CEN
            R4,L'Œuvre,fr,,book,,,,
            """);
        Assert.Equal("3.year 3.audience 5.format 5.status 6.audience", Keys(file));
        Assert.Equal(["R1"], file.Rows.Select(r => r.RecordId));
        Assert.Equal(4, file.Read);
    }

    [Fact]
    public void A_row_with_too_many_fields_is_refused_as_a_record()
    {
        var file = Parse("recordId,title,language,audience,format\nR1,Dupont, Marie,fr,adult,book\n");
        Assert.Equal("2.record", Keys(file));
    }

    [Fact]
    public void An_empty_file_is_refused() => Assert.Equal("1.file", Keys(Parse("")));

    [Fact]
    public void Bytes_that_are_not_UTF8_are_refused_on_their_line()
    {
        var latin1 = Encoding.Latin1.GetBytes("recordId,title,language,audience,format\nR1,Nana,fr,adult,book\nR2,Thérèse,fr,adult,book\n");
        using var reader = CsvImport.OpenReader(new MemoryStream(latin1));
        var file = CatalogueCsv.Read(reader);
        Assert.Equal("3.title", Keys(file));
        Assert.Equal(["R1"], file.Rows.Select(r => r.RecordId));
    }

    [Fact]
    public void A_byte_order_mark_is_tolerated()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("recordId,title,language,audience,format\r\nR1,Nana,fr,adult,book\r\n")).ToArray();
        using var reader = CsvImport.OpenReader(new MemoryStream(bytes));
        Assert.Equal("R1", Assert.Single(CatalogueCsv.Read(reader).Rows).RecordId);
    }
}
