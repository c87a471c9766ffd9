using ClickCollect.Api.Features.Holds;

namespace ClickCollect.Api.Features.Appointments;

/// <summary>DESIGN "Appointments": Booked → Arrived ("I'm here") → Completed, or NoShow / Cancelled.</summary>
internal enum AppointmentStatus { Booked, Arrived, Completed, NoShow, Cancelled }

/// <summary>Who cancels an appointment decides the SMS: the patron gets theirs at once, staff's waits for quiet hours to end,
/// and none is queued when the patron cancelled by SMS (the reply already says so).</summary>
internal enum CancelledBy { Patron, Staff, PatronBySms }

internal sealed class AppointmentRow
{
    public long Id { get; init; }
    public long PatronId { get; init; }
    public string CardNumber { get; init; } = "";
    public string PatronName { get; init; } = "";
    public long PickupPointId { get; init; }
    public string PickupPointName { get; init; } = "";
    public DateTimeOffset SlotStart { get; init; }
    public DateTimeOffset SlotEnd { get; init; }
    public AppointmentStatus Status { get; init; }
    public HoldChannel Channel { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ArrivedAt { get; init; }
}

internal sealed class AppointmentHoldRow
{
    public long AppointmentId { get; init; }
    public long HoldId { get; init; }
    public string Title { get; init; } = "";
    public HoldStatus Status { get; init; }
}

internal sealed record AppointmentHold(long HoldId, string Title, HoldStatus Status);

internal sealed record AppointmentResponse(long Id, AppointmentStatus Status, long PickupPointId, string PickupPointName,
    DateTimeOffset SlotStart, DateTimeOffset SlotEnd, string PatronCardNumber, string PatronName, HoldChannel Channel,
    DateTimeOffset CreatedAt, DateTimeOffset? ArrivedAt, IReadOnlyList<AppointmentHold> Holds);

/// <summary>Settings of appointments; section "Appointments".</summary>
internal sealed class AppointmentOptions
{
    public const string Section = "Appointments";

    /// <summary>Appointments a patron may have on one day.</summary>
    public int MaxPerPatronPerDay { get; set; } = 2;

    /// <summary>"I'm here" is accepted from this long before the slot starts.</summary>
    public TimeSpan ArrivalOpensBefore { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>An appointment not completed this long after its slot ends is a no-show.</summary>
    public TimeSpan NoShowGrace { get; set; } = TimeSpan.FromMinutes(30);
}
