using Microsoft.Extensions.Caching.Memory;

namespace ClickCollect.Api.Features.Catalogue;

/// <summary>
/// The ranked hits of recent searches by words: the first <see cref="CatalogueStore.ExactCountLimit"/> title ids in
/// the order a page shows them, and the total (#17). Ranking every title a common word finds ("la", "de", "the": tens
/// of thousands on a real catalogue) costs tens of milliseconds each time, and these are the searches patrons repeat;
/// the page's rows (and the copies on the shelf) are still read live. The ranking depends only on the titles' text and
/// filters, which change only through a catalogue import. Every key carries the database's catalogue version
/// (table catalogue_version, bumped by each import in its own transaction, read by the search before it ranks), so
/// a ranking is never used once an import has committed on ANY app instance sharing the database (#18); a local
/// import also calls <see cref="Invalidate"/>, which frees the memory at once. <see cref="Lifetime"/> is therefore
/// no longer what keeps results fresh: it only lets rarely repeated searches go (<c>MaxEntries</c> bounds memory).
/// </summary>
internal sealed class SearchCache : IDisposable
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    const int MaxEntries = 1_000;

    readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries });
    long version;

    internal sealed record Key(long Version, long CatalogueVersion, string Match, Audience? Audience, DocumentFormat? Format, string? Language);

    internal sealed record Hits(long[] Ids, int Total, bool Estimated);

    /// <summary>Whether a search's ranking may be cached: not without words, nor for titles on the shelf only (that changes with every loan).</summary>
    public static bool Caches(TitleSearch search, string? match) => match is not null && !search.OnlyAvailable;

    /// <summary>The key of a search that <see cref="Caches"/>, at the database's catalogue version read before ranking.</summary>
    public Key KeyFor(TitleSearch search, string match, long catalogueVersion) =>
        new(Interlocked.Read(ref version), catalogueVersion, match, search.Audience, search.Format, search.Language);

    /// <summary>
    /// The catalogue version this instance read last: the version a cached search guesses, and checks in the same
    /// round trip as its page (CatalogueStore). Only a guess: a ranking is used only under the version read with it.
    /// </summary>
    public long? LastCatalogueVersion
    {
        get => Interlocked.Read(ref lastCatalogueVersion) is var v && v >= 0 ? v : null;
        set => Interlocked.Exchange(ref lastCatalogueVersion, value ?? -1);
    }
    long lastCatalogueVersion = -1;

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
