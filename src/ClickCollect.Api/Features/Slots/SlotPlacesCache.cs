using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Slots;

/// <summary>
/// The places taken per slot (slot_places) as the slot calendar last read them, per pickup point and period (#17: on
/// PostgreSQL the read was a round trip per calendar request, 772–869 req/s). Kept exact by invalidation, never by age:
/// <list type="bullet">
/// <item>AppointmentStore drops the pickup point's entries after each commit that changes its slot_places rows (a
/// booking, a move, a cancellation), so this instance shows a change as soon as the request that made it has answered;</item>
/// <item>on PostgreSQL, after those same commits, <see cref="SlotPlacesNotifier"/> sends <c>pg_notify('slot_places',
/// '&lt;pickup point id&gt;')</c> to every instance, and <see cref="SlotPlacesListener"/> drops the entries on each one.
/// While that listener is not connected (start-up, a lost connection, reconnecting) the cache is not used at all
/// (<see cref="InUse"/> false: every calendar reads the database), and it is emptied when the listener connects again,
/// so no count older than a notification's delivery is ever shown.</item>
/// </list>
/// An entry is used only while its pickup point's version (one more at each change) and the cache's epoch (one more at
/// each emptying) are those seen before its read began: a read that raced a change is never shown again. And for at most
/// <see cref="MaxAge"/>: the net under the invalidation, for a notification that was never sent (an instance that
/// stopped between a commit and its notification, see <see cref="SlotPlacesNotifier"/>).
/// </summary>
internal sealed class SlotPlacesCache(Db db, TimeProvider clock)
{
    const int MaxEntries = 10_000;
    /// <summary>How long a count missed by the invalidation can show: a read a minute per pickup point and period costs nothing.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    readonly ConcurrentDictionary<(long PickupPointId, DateTimeOffset From, DateTimeOffset To), Entry> entries = new();
    readonly ConcurrentDictionary<long, StrongBox<long>> versions = new();
    long epoch;
    volatile bool inUse = db.Dialect.IsSqlite;

    sealed record Entry(Dictionary<DateTimeOffset, int> Taken, long Epoch, long Version, DateTimeOffset ReadAt);

    /// <summary>
    /// Whether the calendar may use what is cached: always on SQLite (one instance: its own writes are all there is);
    /// on PostgreSQL only while <see cref="SlotPlacesListener"/> listens.
    /// </summary>
    public bool InUse => inUse;

    /// <summary>The listener listens (again): what was cached before may have missed notifications, so it goes.</summary>
    public void Listening()
    {
        Clear();
        inUse = true;
    }

    /// <summary>The listener lost its connection (or is not connected yet): the calendar reads the database each time.</summary>
    public void NotListening()
    {
        inUse = false;
        Clear();
    }

    /// <summary>The pickup point's slot_places rows changed (committed): its counts cached here are not used again (a memory of them
    /// stays until <see cref="MaxEntries"/> empties the cache or a read of the same period replaces it).</summary>
    public void Changed(long pickupPointId)
    {
        Interlocked.Increment(ref versions.GetOrAdd(pickupPointId, _ => new StrongBox<long>()).Value);
    }

    /// <summary>Something changed, which pickup point is not known: nothing cached is used again.</summary>
    public void Clear()
    {
        Interlocked.Increment(ref epoch);
        entries.Clear();
    }

    /// <summary>The places taken per slot start in [<paramref name="from"/>, <paramref name="to"/>), cached or read by <paramref name="read"/>.</summary>
    public async Task<Dictionary<DateTimeOffset, int>> GetOrReadAsync(long pickupPointId, DateTimeOffset from, DateTimeOffset to,
        Func<Task<Dictionary<DateTimeOffset, int>>> read)
    {
        if (!inUse) return await read();
        var key = (pickupPointId, from, to);
        var version = versions.GetOrAdd(pickupPointId, _ => new StrongBox<long>());
        var (seenEpoch, seenVersion, now) = (Interlocked.Read(ref epoch), Interlocked.Read(ref version.Value), clock.GetUtcNow());
        if (entries.TryGetValue(key, out var entry) && entry.Epoch == seenEpoch && entry.Version == seenVersion && now - entry.ReadAt < MaxAge)
            return entry.Taken;
        var taken = await read();
        if (entries.Count >= MaxEntries) entries.Clear(); // old periods no one asks for any more
        // Stored under the epoch and version seen before the read: after a change (or an emptying) that came during the
        // read, what was read may predate it, and the entry no longer matches.
        entries[key] = new Entry(taken, seenEpoch, seenVersion, now);
        return taken;
    }
}
