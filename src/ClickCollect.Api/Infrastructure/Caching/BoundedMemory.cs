using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace ClickCollect.Api.Infrastructure.Caching;

/// <summary>
/// What a request would otherwise read or compute again and again, keyed by a string (#17: the bearer tickets read, the
/// sessions in use, each phone number's SMS verdict), at most <paramref name="capacity"/> entries. Full, it is emptied rather than grown or trimmed one by one: rare
/// (more live tokens or sessions than that), and what it forgets is only read again.
/// </summary>
internal sealed class BoundedMemory<T>(int capacity)
{
    readonly ConcurrentDictionary<string, T> entries = new(StringComparer.Ordinal);

    // Entries added since the memory was last emptied (an entry replaced counts twice: the bound only needs to hold
    // roughly). Not entries.Count: ConcurrentDictionary.Count takes every one of the dictionary's locks, and under 64
    // connections the threads queued on them (a wall-clock profile of make bench's booking run on SQLite, #17: 1,280
    // samples waiting in Count against 335 reading the tickets themselves, the largest lock wait of the run).
    int added;

    /// <summary>Entries in memory now (for tests).</summary>
    public int Count => entries.Count;

    public bool TryGet(string key, [MaybeNullWhen(false)] out T value) => entries.TryGetValue(key, out value);

    public void Remember(string key, T value)
    {
        if (Interlocked.Increment(ref added) > capacity)
        {
            entries.Clear();
            Interlocked.Exchange(ref added, 1);
        }
        entries[key] = value;
    }

    public void Forget(string key) => entries.TryRemove(key, out _);

    public void Clear() => entries.Clear();

    /// <summary>Forgets every entry whose value matches.</summary>
    public void ForgetWhere(Func<T, bool> match)
    {
        foreach (var (key, value) in entries)
            if (match(value)) entries.TryRemove(key, out _);
    }
}
