namespace ClickCollect.Api.Features.Holds;

/// <summary>DESIGN "Holds": Queued → ToPick (or InTransit → ToPick) → Ready → Collected; Expired; Cancelled.</summary>
internal enum HoldStatus { Queued, ToPick, InTransit, Ready, Collected, Expired, Cancelled }

internal enum HoldChannel { Web, Phone, Sms, Selection }

internal sealed class HoldRow
{
    public long Id { get; init; }
    public long PatronId { get; init; }
    public string CardNumber { get; init; } = "";
    public long TitleId { get; init; }
    public string Title { get; init; } = "";
    public string Authors { get; init; } = "";
    public long? RequestedCopyId { get; init; }
    public long? CopyId { get; init; }
    public string? Barcode { get; init; }
    public long PickupPointId { get; init; }
    public string PickupPointName { get; init; } = "";
    public HoldStatus Status { get; init; }
    public HoldChannel Channel { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ReadyAt { get; init; }
    public DateOnly? PickupDeadline { get; init; }
    public long? AppointmentId { get; init; }
    public DateTimeOffset? SlotStart { get; init; }
    public long QueuePosition { get; init; }

    public HoldResponse ToResponse() => new(Id, Status, Channel, TitleId, Title,
        Authors.Split(" ; ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        RequestedCopyId, CopyId, Barcode, CardNumber, PickupPointId, PickupPointName, CreatedAt, ReadyAt, PickupDeadline,
        AppointmentId, SlotStart, Status == HoldStatus.Queued ? (int)QueuePosition : null);
}

internal sealed record HoldResponse(long Id, HoldStatus Status, HoldChannel Channel, long TitleId, string Title, string[] Authors,
    long? RequestedCopyId, long? CopyId, string? Barcode, string PatronCardNumber, long PickupPointId, string PickupPointName,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadyAt, DateOnly? PickupDeadline, long? AppointmentId, DateTimeOffset? SlotStart,
    int? QueuePosition);

/// <summary>Settings of holds; section "Holds".</summary>
internal sealed class HoldOptions
{
    public const string Section = "Holds";

    /// <summary>Queued, to pick, in transit and ready holds a patron may have at once.</summary>
    public int MaxActivePerPatron { get; set; } = 10;
}
