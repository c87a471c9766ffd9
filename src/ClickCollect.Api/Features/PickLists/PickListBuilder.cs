using ClickCollect.Api.Features.Catalogue;

namespace ClickCollect.Api.Features.PickLists;

/// <summary>
/// Turns pick rows into a list: lines grouped by owning branch in shelf walk order (pick lists) or by
/// stop in route order (load lists). Pure: the walk order, the last print and the zone are given.
/// </summary>
internal static class PickListBuilder
{
    public static IReadOnlyList<PickListGroup> PickGroups(IEnumerable<PickRow> rows, IReadOnlyDictionary<(long, string), int> walkOrder,
        HashSet<long>? lastPrinted, bool publicVariant, TimeZoneInfo zone) =>
        rows.GroupBy(r => (r.OwnerBranchId, r.OwnerBranchName))
            .OrderBy(g => g.Key.OwnerBranchName, FrenchOrder.Exact)
            .Select(g => new PickListGroup(g.Key.OwnerBranchId, g.Key.OwnerBranchName,
                g.OrderBy(r => walkOrder.TryGetValue((r.OwnerBranchId, r.ShelfLocation), out var order) ? order : int.MaxValue)
                 .ThenBy(r => r.ShelfLocation, FrenchOrder.IgnoreCase)
                 .ThenBy(r => r.CallNumber, CallNumberComparer.Instance)
                 .ThenBy(r => r.Title, FrenchOrder.IgnoreCase)
                 .ThenBy(r => r.HoldId)
                 .Select(r => Line(r, lastPrinted, publicVariant, zone)).ToList()))
            .ToList();

    public static IReadOnlyList<PickListGroup> LoadGroups(IEnumerable<PickRow> rows, HashSet<long>? lastPrinted, bool publicVariant, TimeZoneInfo zone) =>
        rows.GroupBy(r => (r.PickupPointId, r.PickupPointName, r.StopPosition))
            .OrderBy(g => g.Key.StopPosition)
            .Select(g => new PickListGroup(g.Key.PickupPointId, g.Key.PickupPointName,
                g.OrderBy(r => r.SlotStart ?? DateTimeOffset.MaxValue)
                 .ThenBy(r => r.LastName, FrenchOrder.IgnoreCase)
                 .ThenBy(r => r.CardNumber, StringComparer.Ordinal)
                 .ThenBy(r => r.Title, FrenchOrder.IgnoreCase)
                 .Select(r => Line(r, lastPrinted, publicVariant, zone)).ToList()))
            .ToList();

    static PickListLine Line(PickRow r, HashSet<long>? lastPrinted, bool publicVariant, TimeZoneInfo zone)
    {
        var slot = r.SlotStart is { } start ? TimeZoneInfo.ConvertTime(start, zone).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) : null;
        var name = publicVariant ? Initials(r.FirstName, r.LastName) : $"{r.LastName.ToUpperInvariant()} {r.FirstName}";
        var who = publicVariant ? Initials(r.FirstName, r.LastName).Replace(" ", "") : r.CardNumber;
        return new PickListLine(r.HoldId, r.HoldStatus, r.CopyId, r.Barcode, r.Title, CatalogueText.SplitAuthors(r.Authors).FirstOrDefault() ?? "",
            r.CallNumber, r.ShelfLocation, publicVariant ? "" : r.CardNumber, name, slot is null ? who : $"{slot.Replace(":", "h")} · {who}",
            r.SlotStart, slot ?? "sans rendez-vous", r.AppointmentId, r.AppointmentStatus, r.HoldStatus == "ready",
            lastPrinted is not null && !lastPrinted.Contains(r.HoldId), r.PickupPointId, r.PickupPointName);
    }

    /// <summary>"Jean Dupont" → "J. D.": enough for a bag in a public area, not a name.</summary>
    public static string Initials(string first, string last) =>
        $"{Initial(first)} {Initial(last)}".Trim();

    static string Initial(string name) => name.Length == 0 ? "" : $"{char.ToUpperInvariant(name.TrimStart()[0])}.";
}
