using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace ClickCollect.Api.Features.PickLists;

/// <summary>
/// The printable pick or load list: A4, DejaVu fonts (Debian's fonts-dejavu-core), a header with
/// branch, place, date and print time, a tick box per line, page numbers. Drawn by hand with
/// PDFsharp (no MigraDoc): paginate first, then draw, so "Page 2 / 3" is known on every page.
/// </summary>
internal static class PickListPdf
{
    const double Margin = 32, PageWidth = 595, PageHeight = 842, Footer = 28;
    const double RowHeight = 25, GroupHeight = 20, TableHeaderHeight = 16;
    static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    // Column x positions and widths: tick, call number, title/author, barcode, patron, bag/slot.
    static readonly (string Head, double X, double Width)[] Columns =
    [
        ("", Margin, 14), ("Cote", Margin + 18, 72), ("Titre / auteur", Margin + 94, 165),
        ("Code-barres", Margin + 263, 70), ("Lecteur", Margin + 337, 95), ("Sac / créneau", Margin + 436, 95),
    ];

    // The resolver is set once for the process, and the fonts made once with it (#17: resolving and measuring
    // each document's fonts again came on top of measuring every string of every cell).
    static readonly Lazy<Fonts> Faces = new(() =>
    {
        GlobalFontSettings.FontResolver ??= new DejaVuFontResolver();
        return new Fonts(new MeasuredFont(new XFont(DejaVuFontResolver.Family, 8)), new MeasuredFont(new XFont(DejaVuFontResolver.Family, 8, XFontStyleEx.Bold)),
            new XFont(DejaVuFontResolver.Family, 14, XFontStyleEx.Bold));
    });

    sealed record Fonts(MeasuredFont Regular, MeasuredFont Bold, XFont Heading);

    abstract record Item(double Height);
    sealed record GroupItem(string Name, int Count) : Item(GroupHeight);
    sealed record LineItem(PickListLine Line) : Item(RowHeight);

    public static byte[] Render(PickListResponse list)
    {
        var (regular, bold, heading) = Faces.Value;
        var pages = Paginate(list);
        using var document = new PdfDocument();
        document.Info.Title = $"{list.Title} — {list.PlaceName} — {list.Date:yyyy-MM-dd}";
        document.Info.Creator = "ClickCollect";
        // RGAA 13.3 / PDF accessibility (#19 item 2): the catalog's /Lang says the text is French, and a
        // reader's title bar shows the title rather than the file name (WCAG technique PDF18).
        document.Language = "fr-FR";
        document.ViewerPreferences.DisplayDocTitle = true;
        var printedAt = TimeZoneInfo.ConvertTime(list.GeneratedAt, TimeZoneInfo.FindSystemTimeZoneById(list.TimeZone));

        for (var p = 0; p < pages.Count; p++)
        {
            var page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            using var g = XGraphics.FromPdfPage(page);
            g.DrawString($"{list.Title} — {list.PlaceName}", heading, XBrushes.Black, new XPoint(Margin, Margin + 12));
            var sub = $"{list.BranchName} · {list.Date.ToString("dddd d MMMM yyyy", French)} · imprimée le {printedAt.ToString("dd/MM/yyyy 'à' HH:mm", French)}"
                      + (list.PublicVariant ? " · version publique (initiales)" : "");
            g.DrawString(sub, regular.Font, XBrushes.Black, new XPoint(Margin, Margin + 28));
            var y = Margin + 40;
            foreach (var (head, x, _) in Columns) g.DrawString(head, bold.Font, XBrushes.Black, new XPoint(x, y + 10));
            y += TableHeaderHeight;
            g.DrawLine(XPens.Black, Margin, y - 3, PageWidth - Margin, y - 3);

            foreach (var item in pages[p])
            {
                switch (item)
                {
                    case GroupItem group:
                        g.DrawRectangle(XBrushes.Gainsboro, Margin, y, PageWidth - 2 * Margin, GroupHeight - 4);
                        g.DrawString($"{group.Name} — {group.Count} document{(group.Count > 1 ? "s" : "")}", bold.Font, XBrushes.Black, new XPoint(Margin + 4, y + 11));
                        break;
                    case LineItem { Line: var line }:
                        DrawLine(g, line, y, regular, bold);
                        break;
                }
                y += item.Height;
            }
            var footer = $"Page {p + 1} / {pages.Count}";
            g.DrawString(footer, regular.Font, XBrushes.Black, new XPoint(PageWidth - Margin - g.MeasureString(footer, regular.Font).Width, PageHeight - Margin + 8));
            g.DrawString($"{list.LineCount} document{(list.LineCount > 1 ? "s" : "")}, {list.PickedCount} déjà préparé{(list.PickedCount > 1 ? "s" : "")}", regular.Font, XBrushes.Black, new XPoint(Margin, PageHeight - Margin + 8));
        }
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }

    static void DrawLine(XGraphics g, PickListLine line, double y, MeasuredFont regular, MeasuredFont bold)
    {
        var box = Columns[0];
        g.DrawRectangle(XPens.Black, box.X, y + 2, 10, 10);
        if (line.Picked) g.DrawString("✓", bold.Font, XBrushes.Black, new XPoint(box.X + 1.5, y + 10.5));
        Cell(g, line.CallNumber, bold, 1, y + 10);
        Cell(g, line.Title, bold, 2, y + 10);
        Cell(g, line.Author, regular, 2, y + 20);
        Cell(g, line.Barcode, regular, 3, y + 10);
        Cell(g, line.PatronName, regular, 4, y + 10);
        Cell(g, line.PatronCardNumber, regular, 4, y + 20);
        Cell(g, line.BagLabel, bold, 5, y + 10);
        Cell(g, line.SlotLabel + (line.AddedSinceLastPrint ? " · nouveau" : ""), regular, 5, y + 20);
        g.DrawLine(XPens.LightGray, Margin, y + RowHeight - 2, PageWidth - Margin, y + RowHeight - 2);
    }

    static void Cell(XGraphics g, string text, MeasuredFont font, int column, double baseline)
    {
        var (_, x, width) = Columns[column];
        g.DrawString(Fit(g, text, font, width), font.Font, XBrushes.Black, new XPoint(x, baseline));
    }

    /// <summary>Cuts the text with an ellipsis so it never runs into the next column: the longest start that fits with it.</summary>
    internal static string Fit(XGraphics g, string text, MeasuredFont font, double width)
    {
        if (font.Width(g, text, text.Length) <= width) return text;
        var ellipsis = font.Width(g, "…", 1);
        var cut = text.Length;
        while (cut > 1 && font.Width(g, text, cut) + ellipsis > width) cut--;
        return text[..cut].TrimEnd() + "…";
    }

    static List<List<Item>> Paginate(PickListResponse list)
    {
        var room = PageHeight - Margin - Footer - (Margin + 40 + TableHeaderHeight);
        var pages = new List<List<Item>> { new() };
        var used = 0.0;
        foreach (var group in list.Groups)
        {
            // A group heading never ends a page on its own.
            if (used + GroupHeight + RowHeight > room) { pages.Add([]); used = 0; }
            pages[^1].Add(new GroupItem(group.Name, group.Lines.Count));
            used += GroupHeight;
            foreach (var line in group.Lines)
            {
                if (used + RowHeight > room) { pages.Add([new GroupItem(group.Name + " (suite)", group.Lines.Count)]); used = GroupHeight; }
                pages[^1].Add(new LineItem(line));
                used += RowHeight;
            }
        }
        return pages;
    }
}

/// <summary>
/// A font with the advance width of each character it has drawn, measured once (#17: measuring every cell's text
/// with PDFsharp, and again for each character cut from a text too long, was a third of a pick list's rendering).
/// PDFsharp measures a text as the sum of its characters' advance widths, so the sum here is the same width; a
/// text with characters outside the Basic Multilingual Plane is measured by PDFsharp itself.
/// </summary>
internal sealed class MeasuredFont(XFont font)
{
    readonly double[] widths = Enumerable.Repeat(double.NaN, 0x3000).ToArray(); // Latin, Greek, Cyrillic, punctuation, symbols (✓ …)
    readonly System.Collections.Concurrent.ConcurrentDictionary<char, double> others = new();

    public XFont Font => font;

    /// <summary>The width of the first <paramref name="length"/> characters of <paramref name="text"/>.</summary>
    public double Width(XGraphics g, string text, int length)
    {
        var width = 0.0;
        for (var i = 0; i < length; i++)
        {
            var c = text[i];
            if (char.IsSurrogate(c)) return g.MeasureString(text[..length], font).Width;
            var w = c < widths.Length ? widths[c] : others.GetValueOrDefault(c, double.NaN);
            if (double.IsNaN(w))
            {
                w = g.MeasureString(c.ToString(), font).Width;
                if (c < widths.Length) widths[c] = w;
                else others[c] = w;
            }
            width += w;
        }
        return width;
    }
}

/// <summary>DejaVu Sans from Debian's fonts-dejavu-core: PDFsharp has no font lookup of its own on Linux.</summary>
internal sealed class DejaVuFontResolver : IFontResolver
{
    public const string Family = "DejaVu Sans";
    const string Folder = "/usr/share/fonts/truetype/dejavu";

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? "DejaVuSans-Bold" : "DejaVuSans");

    public byte[]? GetFont(string faceName) => File.ReadAllBytes(Path.Combine(Folder, faceName + ".ttf"));
}
