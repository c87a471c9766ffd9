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

/// <summary>
/// The open appointment of each hold <c>h</c> (its latest, when a hold was ever booked twice), joined as <c>a</c> with
/// <c>a.id</c>, <c>a.slot_start</c> and <c>a.status</c>, null when it has none: found by key from appointment_holds
/// whatever the number of holds and appointments (#17). PostgreSQL runs it as a lateral subquery, i.e. once per hold
/// through appointment_holds_hold and the appointments' key. Written as a plain join "a.id = (the hold's open
/// appointment)" its planner hashed the whole appointments table on every call once the holds were many (QueryPlanTests:
/// a pick list of 3,000 allocated holds among 33,000 appointments); written as "a.id in (the hold's appointments)" it
/// walked every open appointment for each hold (2.3 s for a 500-line pick list among 50,000 appointments). SQLite has
/// no LATERAL and reads the plain join by key.
/// </summary>
internal static class OpenAppointmentOfHold
{
    const string Latest = $"""
        from appointment_holds ah join appointments x on x.id = ah.appointment_id
        where ah.hold_id = h.id and x.status in {AppointmentStatuses.OpenSql}
        order by ah.appointment_id desc limit 1
        """;

    public static string Join(SqlDialect dialect) => dialect.Pick(
        $"left join appointments a on a.id = (select x.id {Latest})",
        $"left join lateral (select x.id, x.slot_start, x.status {Latest}) a on true");
}
