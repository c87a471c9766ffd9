using System.Text;
using ClickCollect.Api.Infrastructure.Csv;
using ClickCollect.Api.Infrastructure.Http;

namespace ClickCollect.Tests.Infrastructure.Csv;

/// <summary>The shared import reader over CsvHelper: what the features rely on (lines, quoting complaints, streaming).</summary>
public sealed class CsvImportTests
{
    static List<CsvRecord> Read(string text) => CsvImport.Records(new StringReader(text)).ToList();

    public static TheoryData<string, string, string[][]> Records => new()
    {
        { "plain fields", "a,b,c\n1,2,3\n", [["a", "b", "c"], ["1", "2", "3"]] },
        { "no final line break", "a,b\n1,2", [["a", "b"], ["1", "2"]] },
        { "CRLF line breaks", "a,b\r\n1,2\r\n", [["a", "b"], ["1", "2"]] },
        { "lone CR line breaks", "a,b\r1,2\r", [["a", "b"], ["1", "2"]] },
        { "quoted comma and doubled quotes", "\"Dupont, Marie\",\"Le \"\"Horla\"\"\"\n", [["Dupont, Marie", "Le \"Horla\""]] },
        { "embedded CRLF", "\"ligne 1\r\nligne 2\",x\r\n", [["ligne 1\r\nligne 2", "x"]] },
        { "byte order mark", "\uFEFFrecordId,title\n1,Nana\n", [["recordId", "title"], ["1", "Nana"]] },
        { "blank lines skipped", "a\n\n\r\nb\n", [["a"], ["b"]] },
        { "quote inside an unquoted field kept", "vinyle 12\" ,x\n", [["vinyle 12\" ", "x"]] },
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
        Assert.StartsWith("Guillemet ouvrant sans guillemet fermant", records[2].Error);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_reported_and_the_next_record_is_still_read()
    {
        var records = Read("a,b\n\"Le \"Horla\",x\n2,y\n");
        Assert.Equal((2, "Texte après un guillemet fermant (ligne 2) : doublez les guillemets à l'intérieur d'un champ."), (records[1].Line, records[1].Error));
        Assert.Equal(3, records[2].Line);
        Assert.Equal(["2", "y"], records[2].Fields);
    }

    static readonly CsvColumns Columns = new(["code", "label"], ["code"]);

    static string? Code(CsvRow row, List<ImportRejection> rejected)
    {
        if (row["code"].Trim() is { Length: > 0 } code) return code;
        rejected.Add(new(row.Line, "code", "Code obligatoire."));
        return null;
    }

    [Fact]
    public async Task An_import_reads_the_header_then_checks_each_row_naming_line_and_column()
    {
        var file = await CsvImport.ReadAsync(new StringReader("Label,CODE\nUn,A\nDeux\n,\"ouvert\n"), Columns, Code, CancellationToken.None);
        Assert.Equal(["A"], file.Rows);
        Assert.Equal(3, file.Read);
        Assert.Equal(["3.record", "4.record"], file.Rejected.Select(r => $"{r.Line}.{r.Field}"));
        Assert.Equal("1 champ(s) au lieu de 2 : une virgule dans un champ doit être entre guillemets.", file.Rejected[0].Reason);

        Assert.Equal(["1.colour", "1.code"], (await CsvImport.ReadAsync(new StringReader("label,colour\n"), Columns, Code, CancellationToken.None))
            .Rejected.Select(r => $"{r.Line}.{r.Field}"));
        var empty = Assert.Single(CsvImport.Read(new StringReader(""), Columns, Code).Rejected);
        Assert.Equal((1, "file", "Le fichier est vide : une ligne d'en-tête code est attendue."), (empty.Line, empty.Field, empty.Reason));
    }

    [Fact]
    public async Task A_body_is_read_as_it_arrives_never_whole_and_never_synchronously()
    {
        var body = new TricklingStream("code,label\n" + string.Concat(Enumerable.Range(1, 40_000).Select(i => $"C{i},Libellé numéro {i}\n")));
        await using var records = CsvImport.RecordsAsync(CsvImport.OpenReader(body), CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await records.MoveNextAsync());
        Assert.True(await records.MoveNextAsync());
        Assert.Equal(["C1", "Libellé numéro 1"], records.Current.Fields);
        Assert.InRange(body.Delivered, 1, 128 * 1024); // the file is about 1 MB
        var count = 2;
        while (await records.MoveNextAsync()) count++;
        Assert.Equal(40_001, count);
    }

    /// <summary>Like a request body: asynchronous reads only, a few kilobytes at a time.</summary>
    sealed class TricklingStream(string text) : Stream
    {
        readonly MemoryStream inner = new(Encoding.UTF8.GetBytes(text));
        public long Delivered { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous reads are not allowed.");
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            var read = inner.Read(buffer.Span[..Math.Min(buffer.Length, 4096)]);
            Delivered += read;
            return read;
        }
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
