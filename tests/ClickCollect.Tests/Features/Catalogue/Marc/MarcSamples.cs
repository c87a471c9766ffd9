using System.IO.Compression;
using ClickCollect.Api.Features.Catalogue.Marc;

namespace ClickCollect.Tests.Features.Catalogue.Marc;

/// <summary>
/// Real MARC records shipped by Debian (libmarc-perl, idzebra-2.0-examples; .ci/run installs them) and
/// the UNIMARC fixture of this folder (Fixtures/unimarc-koha.txt, converted to ISO 2709 with
/// <c>yaz-marcdump -i line -o marc unimarc-koha.txt &gt; unimarc-koha.mrc</c>).
/// </summary>
internal static class MarcSamples
{
    /// <summary>18 public-library MARC 21 records with a copy each (852 $p barcodes with stray characters).</summary>
    public const string Microlif = "/usr/share/doc/libmarc-perl/examples/microlif.001";

    /// <summary>24 Library of Congress MARC 21 records (MARC-8), gzip.</summary>
    public const string LocSample = "/usr/share/doc/idzebra-2.0/examples/marc21/sample-marc.gz";

    /// <summary>43 Library of Congress MARCXML records (opera recordings and scores, one id twice), gzip.</summary>
    public const string Opera = "/usr/share/doc/idzebra-2.0/examples/marcxml/collection-opera-43.xml.gz";

    /// <summary>20 MARC 21 authority records in MARCXML: not bibliographic.</summary>
    public const string Names = "/usr/share/doc/idzebra-2.0/examples/marcxml/collection-namemrc.xml.gz";

    public static string Unimarc => Path.Combine(AppContext.BaseDirectory, "Features", "Catalogue", "Marc", "Fixtures", "unimarc-koha.mrc");

    public static byte[] Bytes(string path)
    {
        Assert.True(File.Exists(path), $"{path} is missing: apt-get install libmarc-perl idzebra-2.0-examples (see .ci/run)");
        if (!path.EndsWith(".gz", StringComparison.Ordinal)) return File.ReadAllBytes(path);
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }

    public static async Task<List<MarcEntry>> ReadAsync(byte[] bytes, MarcFileFormat format)
    {
        var entries = new List<MarcEntry>();
        await foreach (var e in MarcImport.Read(new MemoryStream(bytes), format, CancellationToken.None)) entries.Add(e);
        return entries;
    }
}
