using System.Collections.Concurrent;
using System.Diagnostics;

namespace ClickCollect.Api.Infrastructure.Caching;

/// <summary>
/// Values computed from the network's configuration — a pickup point's calendar (opening windows, closures, stop
/// visits, time zone), the lockdowns that cap its slots — read by every slot calendar and every booking, changed only by
/// staff (#17: the calendar ran 8 queries per request). Every change of that configuration calls <see cref="Changed"/>:
/// the audit trail (every network, opening and lockdown edit is audited) and the slot and lockdown stores' own writes.
/// An entry also lives <see cref="Lifetime"/> at most, which bounds how long another app instance (PostgreSQL, several
/// instances) shows a change made elsewhere, or a change racing a load here.
/// </summary>
internal sealed class ConfigurationCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    const int MaxEntries = 10_000;

    readonly ConcurrentDictionary<(string Kind, long Id), Entry> entries = new();
    long version;

    sealed record Entry(object Value, long Version, long Expires);

    /// <summary>The value cached under (<paramref name="kind"/>, <paramref name="id"/>), else loaded (null is never cached).</summary>
    public async Task<T?> GetOrLoadAsync<T>(string kind, long id, Func<Task<T?>> load) where T : class
    {
        var key = (kind, id);
        var seen = Interlocked.Read(ref version);
        if (entries.TryGetValue(key, out var entry) && entry.Version == seen && entry.Expires > Stopwatch.GetTimestamp()) return (T)entry.Value;
        var value = await load();
        // Loaded under `seen`: a change during the load makes the entry unusable at once.
        if (value is not null && entries.Count < MaxEntries)
            entries[key] = new Entry(value, seen, Stopwatch.GetTimestamp() + (long)(Lifetime.TotalSeconds * Stopwatch.Frequency));
        return value;
    }

    /// <summary>Some of the network's configuration changed (or is about to be committed): nothing cached is used again.</summary>
    public void Changed()
    {
        Interlocked.Increment(ref version);
        entries.Clear();
    }
}
