namespace ClickCollect.Api.Infrastructure.Database;

/// <summary>
/// Keys for <see cref="UnitOfWork.LockAsync"/>, one key space per kind of thing so a title and a
/// patron with the same id never share a lock. Take them in this order when taking several:
/// selections, then patron, then title, then slot.
/// </summary>
internal static class LockKeys
{
    public static long Patron(long id) => (1L << 56) | id;
    public static long Title(long id) => (2L << 56) | id;
    /// <summary>Every change to surprise-selection bundles (their soft reservations), network-wide: librarians are few.</summary>
    public static long Selections => 4L << 56;
    public static long Slot(long pickupPointId, DateTimeOffset start) =>
        (3L << 56) | (pickupPointId << 32) ^ (start.ToUnixTimeSeconds() / 60);
}
