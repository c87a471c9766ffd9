using ClickCollect.Api.Infrastructure.Csv;

namespace ClickCollect.Tests.Features.Catalogue;

public sealed class CsvReaderTests
{
    static List<CsvRecord> Read(string text) => new CsvReader(new StringReader(text)).ReadAll().ToList();

    public static TheoryData<string, string, string[][]> Records => new()
    {
        { "plain fields", "a,b,c\n1,2,3\n", [["a", "b", "c"], ["1", "2", "3"]] },
        { "no final line break", "a,b\n1,2", [["a", "b"], ["1", "2"]] },
        { "CRLF line breaks", "a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]] },
        { "lone CR line breaks", "a,b\r1,2\r", [["a", "b"], ["1", "2"]] },
        { "empty fields", ",,\n,x,\n", [["", "", ""], ["", "x", ""]] },
        { "quoted comma", "\"Dupont, Marie\",x\n", [["Dupont, Marie", "x"]] },
        { "doubled quotes", "\"Le \"\"Horla\"\"\",x\n", [["Le \"Horla\"", "x"]] },
        { "quoted empty field", "\"\",x\n", [["", "x"]] },
        { "embedded LF", "\"ligne 1\nligne 2\",x\n", [["ligne 1\nligne 2", "x"]] },
        { "embedded CRLF", "\"ligne 1\r\nligne 2\",x\r\n", [["ligne 1\r\nligne 2", "x"]] },
        { "byte order mark", "\uFEFFrecordId,title\n1,Nana\n", [["recordId", "title"], ["1", "Nana"]] },
        { "blank lines skipped", "a\n\n\r\nb\n", [["a"], ["b"]] },
        { "quote inside an unquoted field kept", "vinyle 12\" ,x\n", [["vinyle 12\" ", "x"]] },
        { "accents and spaces kept", " Émile Zola ,œuvre\n", [[" Émile Zola ", "œuvre"]] },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void Reads_RFC_4180_records(string because, string text, string[][] expected)
    {
        var records = Read(text);
        Assert.True(records.All(r => r.Error is null), because);
        Assert.Equal(expected, records.Select(r => r.Fields.ToArray()).ToArray());
    }

    [Fact]
    public void Each_record_carries_the_physical_line_it_starts_on()
    {
        var text = "h1,h2\r\n" +
                   "1,\"Titre sur\r\ntrois\r\nlignes\"\r\n" +
                   "\r\n" +
                   "2,\"un \"\"vrai\"\" titre\"\r\n" +
                   "3,\"deux\nlignes\"\n" +
                   "4,fin";
        Assert.Equal([1, 2, 6, 7, 9], Read(text).Select(r => r.Line));
    }

    [Fact]
    public void An_unterminated_quote_is_reported_on_the_line_where_its_record_starts()
    {
        var records = Read("a,b\n1,ok\n2,\"jamais fermé\n3,x\n4,y\n");
        Assert.Equal(3, records.Count);
        Assert.Null(records[1].Error);
        Assert.Equal(3, records[2].Line);
        Assert.Contains("Guillemet", records[2].Error);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_reported_and_the_next_record_is_still_read()
    {
        var records = Read("a,b\n\"Le \"Horla\",x\n2,y\n");
        Assert.Equal(2, records[1].Line);
        Assert.NotNull(records[1].Error);
        Assert.Equal(["2", "y"], records[2].Fields);
        Assert.Equal(3, records[2].Line);
    }

    [Fact]
    public void An_empty_input_has_no_records() => Assert.Empty(Read(""));
}
