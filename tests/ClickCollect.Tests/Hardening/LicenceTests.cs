using ClickCollect.Tests.Contract;

namespace ClickCollect.Tests.Hardening;

// #14: ClickCollect is Apache-2.0. PDFsharp 6.5.0 names the AGPL as its licence; 6.2.4 is MIT.
public sealed class LicenceTests
{
    [Fact]
    public void PDFsharp_is_the_MIT_licensed_6_2_line()
    {
        var version = typeof(PdfSharp.Pdf.PdfDocument).Assembly.GetName().Version!;
        Assert.Equal((6, 2), (version.Major, version.Minor));
    }

    [Fact]
    public void The_licence_file_is_the_full_Apache_2_0_text()
    {
        var licence = File.ReadAllText(Path.Combine(OpenApiDocumentTests.RepositoryRoot(), "LICENSE"));
        Assert.Contains("Apache License", licence);
        Assert.Contains("Version 2.0, January 2004", licence);
        Assert.Contains("END OF TERMS AND CONDITIONS", licence);
        Assert.DoesNotContain("Affero", licence);
    }
}
