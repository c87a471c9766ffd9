namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// Keys for <see cref="UnitOfWork.LockAsync"/>, one key space per kind of thing so a title and a
/// patron with the same id never share a lock. Take them in this order when taking several:
/// <see cref="Lending"/> first, then selections, then patron, then title, then slot.
/// </summary>
internal static class LockKeys
{
    public static long Patron(long id) => (1L << 56) | id;
    public static long Title(long id) => (2L << 56) | id;
    /// <summary>
    /// Due dates, pickup deadlines and slot caps follow the lockdowns in force. A lockdown change takes
    /// this key exclusively while it recomputes them; loan imports, new loans, holds becoming Ready and
    /// bookings take it shared (<see cref="UnitOfWork.LockSharedAsync"/>), so none of them can compute
    /// from lockdowns that are being changed at that moment.
    /// </summary>
    public const long Lending = 4L << 56;

    /// <summary>Every change to surprise-selection bundles (their soft reservations), network-wide: librarians are few.</summary>
    public static long Selections => 5L << 56;
    /// <summary>Creating the first data-protection key, when instances start together (#18).</summary>
    public const long DataProtectionKeys = 6L << 56;

    public static long Slot(long pickupPointId, DateTimeOffset start) =>
        (3L << 56) | (pickupPointId << 32) ^ (start.ToUnixTimeSeconds() / 60);
}
