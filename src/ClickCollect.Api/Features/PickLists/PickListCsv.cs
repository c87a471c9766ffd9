using System.Globalization;
using System.Text;

namespace ClickCollect.Api.Features.PickLists;

/// <summary>The list as CSV: UTF-8 with a BOM (so spreadsheets open accents right), one header row, RFC 4180 quoting.</summary>
internal static class PickListCsv
{
    public static readonly string[] Header =
    [
        "group", "shelfLocation", "callNumber", "title", "author", "barcode", "patronCardNumber", "patronName",
        "bagLabel", "slot", "picked", "holdId", "pickupPoint",
    ];

    public static byte[] Render(PickListResponse list)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(',', Header).Append("\r\n");
        foreach (var group in list.Groups)
            foreach (var l in group.Lines)
            {
                string[] fields =
                [
                    group.Name, l.ShelfLocation, l.CallNumber, l.Title, l.Author, l.Barcode, l.PatronCardNumber, l.PatronName,
                    l.BagLabel, l.SlotLabel, l.Picked ? "oui" : "non", l.HoldId.ToString(CultureInfo.InvariantCulture), l.PickupPointName,
                ];
                csv.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
            }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\r', '\n']) < 0 ? field : $"\"{field.Replace("\"", "\"\"")}\"";
}
