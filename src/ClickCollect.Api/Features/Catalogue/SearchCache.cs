using Microsoft.Extensions.Caching.Memory;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>
/// The ranked hits of recent searches by words: the first <see cref="CatalogueStore.ExactCountLimit"/> title ids in
/// the order a page shows them, and the total (#17). Ranking every title a common word finds ("la", "de", "the": tens
/// of thousands on a real catalogue) costs tens of milliseconds each time, and these are the searches patrons repeat;
/// the page's rows (and the copies on the shelf) are still read live. The ranking depends only on the titles' text and
/// filters, which change only through a catalogue import: <see cref="Invalidate"/> drops everything at once, and an
/// entry lives <see cref="Lifetime"/> at most, which bounds how long another app instance shows the catalogue as it
/// was before an import there.
/// </summary>
internal sealed class SearchCache : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    const int MaxEntries = 1_000;

    readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    long version;

    internal sealed record Key(long Version, string Match, Audience? Audience, DocumentFormat? Format, string? Language);

    internal sealed record Hits(long[] Ids, int Total, bool Estimated);

    /// <summary>The key of a search whose ranking may be cached; null when it may not (no words, or only titles on the shelf).</summary>
    public Key? KeyFor(TitleSearch search, string? match) =>
        match is null || search.OnlyAvailable ? null
            : new Key(Interlocked.Read(ref version), match, search.Audience, search.Format, search.Language);

    public Hits? Get(Key key) => cache.TryGetValue(key, out Hits? hits) ? hits : null;

    public void Set(Key key, Hits hits)
    {
        using var entry = cache.CreateEntry(key);
        entry.Value = hits;
        entry.Size = 1;
        entry.AbsoluteExpirationRelativeToNow = Lifetime;
    }

    /// <summary>The catalogue's titles changed: no cached ranking may be used again.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref version);
        cache.Compact(1.0);
    }

    public void Dispose() => cache.Dispose();
}
