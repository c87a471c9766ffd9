using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Appointments;

/// <summary>
/// The appointment states each rule depends on, defined once (#15). Queries splice the <c>…Sql</c> lists
/// into their SQL (<c>$"… where a.status in {AppointmentStatuses.OpenSql}"</c>); C# uses the enum arrays,
/// parsed from the same lists. Add a state or a rule here, never as a literal list in a store.
/// </summary>
internal static class AppointmentStatuses
{
    /// <summary>Still to happen: the patron may say "I'm here", cancel or move it; its holds are booked for
    /// collection (so they appear on that day's pick list, and no reminder of the pickup deadline is sent).</summary>
    public const string OpenSql = "('booked', 'arrived')";

    /// <summary>Takes a place in its slot, i.e. was not cancelled: counts against the slot's capacity (bookings,
    /// moves, the slots' "booked", a lockdown's capacity cap, the patron's appointments per day) and in the
    /// occupancy figures. A completed appointment used its place, a no-show kept it from anyone else until the
    /// slot was over (and only a slot that is over has no-shows); a cancelled one gave it back.</summary>
    public const string TakingPlaceSql = "('booked', 'arrived', 'completed', 'noShow')";

    /// <summary>Over: completed, no-show or cancelled. The complement of <see cref="OpenSql"/>; what the
    /// retention job unlinks from its patron once its period is over.</summary>
    public const string ClosedSql = "('completed', 'noShow', 'cancelled')";

    public static readonly AppointmentStatus[] Open = StatusList.Parse<AppointmentStatus>(OpenSql);
    public static readonly AppointmentStatus[] Closed = StatusList.Parse<AppointmentStatus>(ClosedSql);
    public static readonly AppointmentStatus[] TakingPlace = StatusList.Parse<AppointmentStatus>(TakingPlaceSql);
}
