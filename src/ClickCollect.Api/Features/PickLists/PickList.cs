namespace ClickCollect.Api.Features.PickLists;

/// <summary>One copy to take off the shelves (or to load on the bibliobus).</summary>
internal sealed record PickListLine(long HoldId, string HoldStatus, long CopyId, string Barcode, string Title, string Author,
    string CallNumber, string ShelfLocation, string PatronCardNumber, string PatronName, string BagLabel,
    DateTimeOffset? SlotStart, string SlotLabel, long? AppointmentId, string? AppointmentStatus, bool Picked, bool AddedSinceLastPrint,
    long PickupPointId, string PickupPointName);

/// <summary>A pick list: the lines whose copies one branch owns, in shelf walk order. A load list: the lines of one stop.</summary>
internal sealed record PickListGroup(long Id, string Name, IReadOnlyList<PickListLine> Lines);

internal sealed record PrintRecord(DateTimeOffset PrintedAt, string PrintedBy, string Format);

/// <summary>A day's pick list for a pickup point, or a route day's load list for a bibliobus.</summary>
internal sealed record PickListResponse(string Kind, string Title, long? PickupPointId, long? RouteId, string PlaceName, string BranchName,
    DateOnly Date, string TimeZone, DateTimeOffset GeneratedAt, bool PublicVariant, IReadOnlyList<PickListGroup> Groups,
    int LineCount, int PickedCount, IReadOnlyList<PrintRecord> Prints);
