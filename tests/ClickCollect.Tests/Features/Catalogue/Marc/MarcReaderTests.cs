using System.Text;
using ClickCollect.Api.Features.Catalogue.Marc;
using static ClickCollect.Tests.Features.Catalogue.Marc.MarcSamples;

namespace ClickCollect.Tests.Features.Catalogue.Marc;

public sealed class MarcReaderTests
{
    [Fact]
    public async Task The_public_library_records_of_libmarc_perl_are_read_whole()
    {
        var entries = await ReadAsync(Bytes(Microlif), MarcFileFormat.Marc21);

        Assert.Equal(18, entries.Count); // the DOS end-of-file mark after the last record is not a record
        Assert.All(entries, e => Assert.Null(e.Error));
        var first = entries[0].Record!;
        Assert.Equal("00561nam  2200205 a 4500", first.Leader);
        Assert.Equal("bl 98007343 ", first.Control("001"));
        Assert.Equal("Rising tides /", first.First("245", 'a'));
        Assert.Equal("3CPL000018270-", first.First("852", 'p'));
        Assert.Equal(("octet 0", "octet 561"), (entries[0].Position, entries[1].Position));
    }

    [Fact]
    public async Task Library_of_Congress_records_in_MARC_8_are_decoded_as_yaz_marcdump_decodes_them()
    {
        var entries = await ReadAsync(Bytes(LocSample), MarcFileFormat.Marc21);

        Assert.Equal(24, entries.Count);
        Assert.All(entries, e => Assert.Null(e.Error));
        // A Danish record whose ø and æ were written in Latin-1 into a MARC-8 record: read as MARC-8
        // combining marks, exactly as `yaz-marcdump -f marc8 -t utf8` shows them.
        var danish = entries.Single(e => e.Record!.First("245", 'd') == "Bob Anderson").Record!;
        Assert.Equal("Strk\u0306v\u031Celser", danish.First("245", 'a'));
    }

    [Theory]
    [InlineData(new byte[] { 0x4D, 0x75, 0x73, 0xE2, 0x65, 0x65 }, "Musée")]                 // acute before its letter
    [InlineData(new byte[] { 0x46, 0x72, 0x61, 0x6E, 0xF0, 0x63, 0x61, 0x69, 0x73 }, "Français")] // cedilla
    [InlineData(new byte[] { 0xA5, 0x74, 0x68, 0x65, 0x6C, 0x72, 0x65, 0x64 }, "Æthelred")]
    [InlineData(new byte[] { 0x48, 0x1B, 0x62, 0x32, 0x1B, 0x73, 0x4F }, "H₂O")]                 // subscript set and back
    [InlineData(new byte[] { 0x1B, 0x28, 0x4E, 0x61, 0x1B, 0x28, 0x42, 0x62 }, "\uFFFDb")]         // Cyrillic: not supported, marked
    public void MARC_8_becomes_Unicode(byte[] marc8, string expected) => Assert.Equal(expected, Marc8.Decode(marc8));

    [Fact]
    public async Task A_utf8_record_is_read_as_utf8_when_its_leader_says_so()
    {
        var unimarc = await ReadAsync(Bytes(Unimarc), MarcFileFormat.Unimarc);
        Assert.Equal("L'Étranger", unimarc[0].Record!.First("200", 'a'));
    }

    [Fact]
    public async Task Faulty_records_are_reported_with_their_position_and_the_others_are_read()
    {
        var records = SplitRecords(Bytes(Microlif));
        var wrongLength = (byte[])records[1].Clone();
        Encoding.ASCII.GetBytes("00999").CopyTo(wrongLength, 0);              // a length that is not the record's
        var noTerminator = records[2][..^1];                                    // record terminator missing
        var garbage = Encoding.ASCII.GetBytes("this is not a MARC record\u001D");
        var badDirectory = (byte[])records[4].Clone();
        badDirectory[30] = (byte)'x';                                           // a letter in a directory entry's length
        var file = Concat(records[0], wrongLength, noTerminator, records[3], garbage, badDirectory, records[5]);

        var entries = await ReadAsync(file, MarcFileFormat.Marc21);

        Assert.Equal(7, entries.Count);
        Assert.Equal([null, null, null, null], new[] { 0, 1, 2, 3 }.Select(i => entries[i].Error));
        Assert.Equal("Wild grows the heather in Devon /", entries[1].Record!.First("245", 'a'));
        Assert.Equal("Murder, she meowed /", entries[2].Record!.First("245", 'a'));
        Assert.Equal("A shoot on Martha's Vineyard :", entries[3].Record!.First("245", 'a'));
        Assert.Equal((5, $"octet {records[0].Length + wrongLength.Length + noTerminator.Length + records[3].Length}"), (entries[4].Number, entries[4].Position));
        Assert.NotNull(entries[4].Error);
        Assert.Contains("répertoire", entries[5].Error);
        Assert.Equal("Divine secrets of the Ya-Ya Sisterhood :", entries[6].Record!.First("245", 'a'));
    }

    [Fact]
    public async Task MARCXML_collections_from_the_Library_of_Congress_are_read_record_by_record()
    {
        var entries = await ReadAsync(Bytes(Opera), MarcFileFormat.MarcXml);

        Assert.Equal(43, entries.Count);
        Assert.All(entries, e => Assert.Null(e.Error));
        Assert.All(entries, e => Assert.Equal(24, e.Record!.Leader.Length));
        Assert.StartsWith("ligne ", entries[1].Position);
        Assert.Contains(entries, e => e.Record!.First("245", 'a')?.StartsWith("Die Königin von Saba", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Broken_MARCXML_keeps_the_records_before_the_fault_and_names_its_line()
    {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <collection xmlns="http://www.loc.gov/MARC21/slim">
              <record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">A1</controlfield>
                <datafield tag="245" ind1="0" ind2="0"><subfield code="a">Premier</subfield></datafield></record>
              <record><controlfield tag="001">A2</controlfield></record>
              <record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">A3</controlfield>
                <datafield tag="245" ind1="0" ind2="0"><subfield code="a">Troisième</subfield></record>
              <record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">A4</controlfield></record>
            </collection>
            """;
        var entries = await ReadAsync(Encoding.UTF8.GetBytes(xml), MarcFileFormat.MarcXml);

        Assert.Equal(3, entries.Count);
        Assert.Equal("Premier", entries[0].Record!.First("245", 'a'));
        Assert.Equal((2, "ligne 5"), (entries[1].Number, entries[1].Position));
        Assert.Contains("Guide", entries[1].Error);
        Assert.Contains("XML mal formé ligne 7", entries[2].Error);
    }

    static List<byte[]> SplitRecords(byte[] file)
    {
        var records = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < file.Length; i++)
        {
            if (file[i] != 0x1D) continue;
            records.Add(file[start..(i + 1)]);
            start = i + 1;
        }
        return records;
    }

    static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
