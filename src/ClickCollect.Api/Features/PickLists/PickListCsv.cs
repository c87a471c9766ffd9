using System.Globalization;
using ClickCollect.Api.Infrastructure.Csv;

namespace ClickCollect.Api.Features.PickLists;

/// <summary>
/// The list as CSV (<see cref="CsvExport"/>): for programs, the columns below with a comma; for French
/// Excel and LibreOffice (<c>&amp;dialect=excel</c>), the same columns with French headers and ";".
/// A pick list's group is the branch whose shelves hold the copies; a load list's, the stop.
/// </summary>
internal static class PickListCsv
{
    public static readonly string[] Header =
    [
        "group", "shelfLocation", "callNumber", "title", "author", "barcode", "patronCardNumber", "patronName",
        "bagLabel", "slot", "picked", "holdId", "pickupPoint",
    ];

    static readonly string[] PickHeaderFr =
    [
        "Bibliothèque", "Emplacement", "Cote", "Titre", "Auteur", "Code-barres", "Carte", "Lecteur",
        "Sac", "Créneau", "Sorti du rayon", "Réservation", "Point de retrait",
    ];

    public static byte[] Render(PickListResponse list, CsvDialect dialect = CsvDialect.Standard)
    {
        var header = dialect == CsvDialect.Standard ? Header
            : list.Kind == PickListService.Pick ? PickHeaderFr
            : ["Arrêt", .. PickHeaderFr[1..]];
        var rows = list.Groups.SelectMany(group => group.Lines.Select(l => new[]
        {
            group.Name, l.ShelfLocation, l.CallNumber, l.Title, l.Author, l.Barcode, l.PatronCardNumber, l.PatronName,
            l.BagLabel, l.SlotLabel, l.Picked ? "oui" : "non", l.HoldId.ToString(CultureInfo.InvariantCulture), l.PickupPointName,
        }));
        return CsvExport.Render(header, rows, dialect);
    }
}
