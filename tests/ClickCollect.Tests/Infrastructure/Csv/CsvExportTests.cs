using System.Text;
using ClickCollect.Api.Features.PickLists;
using ClickCollect.Api.Infrastructure.Csv;

namespace ClickCollect.Tests.Infrastructure.Csv;

public sealed class CsvExportTests
{
    static string Text(byte[] bytes)
    {
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        return Encoding.UTF8.GetString(bytes[3..]);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+33 6 12", "\"'+33 6 12\"")]
    [InlineData("-R DUP", "\"'-R DUP\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("Le Horla", "Le Horla")]
    [InlineData("Dupont, Marie", "\"Dupont, Marie\"")]
    public void Cells_a_spreadsheet_would_run_as_formulas_are_neutralised(string cell, string written) =>
        Assert.Equal($"title\r\n{written}\r\n", Text(CsvExport.Render(["title"], [[cell]])));

    [Fact]
    public void The_excel_dialect_uses_semicolons_and_quotes_cells_holding_one() =>
        Assert.Equal("Titre;Cote\r\nRouge; noir;R STE\r\n".Replace("Rouge; noir", "\"Rouge; noir\""),
            Text(CsvExport.Render(["Titre", "Cote"], [["Rouge; noir", "R STE"]], CsvDialect.Excel)));

    [Fact]
    public void A_load_list_in_excel_is_headed_by_stop_and_french_columns()
    {
        var line = new PickListLine(7, "toPick", 1, "310001", "=1+1", "Zola, Émile", "R ZOL", "Adultes", "P0001", "Martin Philippe", "P0001-7",
            null, "10:00", null, null, false, false, 3, "Place du marché");
        var list = new PickListResponse(PickListService.Load, "Chargement", null, 2, "Bibliobus", "Centrale", new DateOnly(2026, 3, 11), "Europe/Paris",
            DateTimeOffset.UnixEpoch, false, [new PickListGroup(3, "Place du marché", [line])], 1, 0, []);
        var text = Text(PickListCsv.Render(list, CsvDialect.Excel));
        Assert.Equal(
            "Arrêt;Emplacement;Cote;Titre;Auteur;Code-barres;Carte;Lecteur;Sac;Créneau;Sorti du rayon;Réservation;Point de retrait\r\n" +
            "Place du marché;Adultes;R ZOL;\"'=1+1\";Zola, Émile;310001;P0001;Martin Philippe;P0001-7;10:00;non;7;Place du marché\r\n", text);
    }
}
