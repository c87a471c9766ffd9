using ClickCollect.Api.Features.PickLists;
using PdfSharp.Drawing;
using PdfSharp.Fonts;

namespace ClickCollect.Tests.Features.PickLists;

/// <summary>
/// #17: the PDF measures a cell's text from each character's width, measured once per font (MeasuredFont), instead
/// of asking PDFsharp for every text and for every character cut from a long one. The cut must stay PDFsharp's own.
/// </summary>
public sealed class PickListPdfTests
{
    static readonly string[] Texts =
    [
        "", "Lu", "L'Étranger", "Les Misérables — tome 2", "Ævar Þórsson, Ǆemal Śmigły, Ōe Kenzaburō",
        "Un titre beaucoup trop long pour tenir dans la colonne des titres de la liste, même en petits caractères",
        "R ÉCO 843.914 CAM", "✓ · nouveau", "Жизнь и судьба", "Ὀδύσσεια", "   espaces   en   trop   ",
        "Café 😀 émoji hors du plan de base", "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWW", "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
    ];

    /// <summary>The cut as PDFsharp measured it before: the whole text, then each shorter start with the ellipsis.</summary>
    static string PdfSharpFit(XGraphics g, string text, XFont font, double width)
    {
        if (g.MeasureString(text, font).Width <= width) return text;
        var cut = text.Length;
        while (cut > 1 && g.MeasureString(text[..cut] + "…", font).Width > width) cut--;
        return text[..cut].TrimEnd() + "…";
    }

    [Fact]
    public void A_cell_is_cut_where_pdfsharp_measures_it_in_every_column_width()
    {
        GlobalFontSettings.FontResolver ??= new DejaVuFontResolver();
        using var g = XGraphics.CreateMeasureContext(new XSize(595, 842), XGraphicsUnit.Point, XPageDirection.Downwards);
        foreach (var style in new[] { XFontStyleEx.Regular, XFontStyleEx.Bold })
        {
            var font = new XFont(DejaVuFontResolver.Family, 8, style);
            var measured = new MeasuredFont(font);
            foreach (var text in Texts)
                for (var width = 10.0; width <= 400; width += 3.5)
                    Assert.Equal(PdfSharpFit(g, text, font, width), PickListPdf.Fit(g, text, measured, width));
        }
    }
}
