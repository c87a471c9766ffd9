using ClickCollect.Api.Features.Catalogue;

namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>What the reader asked for, as the bundle builder reads it (DESIGN "Surprise selections").</summary>
internal sealed record Tastes
{
    public int Count { get; init; } = 5;
    public Audience? Audience { get; init; }
    public IReadOnlyList<DocumentFormat> Formats { get; init; } = [];
    public IReadOnlyList<string> Languages { get; init; } = [];
    /// <summary>Genres or subjects: the catalogue's own words, or free text.</summary>
    public IReadOnlyList<string> Genres { get; init; } = [];
    public IReadOnlyList<string> LikedAuthors { get; init; } = [];
    public IReadOnlyList<string> LikedTitles { get; init; } = [];
    /// <summary>Genres, authors or words in a title the reader does not want.</summary>
    public IReadOnlyList<string> Avoid { get; init; } = [];

    public bool StatesTastes => Genres.Count > 0 || LikedAuthors.Count > 0 || LikedTitles.Count > 0;
}

/// <summary>A catalogue record the builder may propose (or read to understand a liked author or title).</summary>
internal sealed class CandidateTitle
{
    public long Id { get; init; }
    public string Title { get; init; } = "";
    /// <summary>Joined with " ; ", as stored.</summary>
    public string Authors { get; init; } = "";
    /// <summary>Joined with "|", as stored.</summary>
    public string Genres { get; init; } = "";
    public Audience Audience { get; init; }
    public DocumentFormat Format { get; init; }
    public string Language { get; init; } = "";
}

/// <summary>A copy of a candidate title. <see cref="ReservedFor"/>: the request whose live proposal holds it softly.</summary>
internal sealed class CandidateCopy
{
    public long Id { get; init; }
    public long TitleId { get; init; }
    public long BranchId { get; init; }
    public CopyStatus Status { get; init; }
    public long? ReservedFor { get; init; }
}

/// <summary>Everything the builder needs, read by the store; the builder itself does no I/O.</summary>
internal sealed record BundleInput
{
    public required Tastes Tastes { get; init; }
    /// <summary>The request being served: copies it already reserves are still available to it.</summary>
    public long RequestId { get; init; }
    public long PickupBranchId { get; init; }
    public IReadOnlyDictionary<long, string> BranchNames { get; init; } = new Dictionary<long, string>();
    public required IReadOnlyList<CandidateTitle> Titles { get; init; }
    public required IReadOnlyList<CandidateCopy> Copies { get; init; }
    /// <summary>Catalogue records by the liked authors or with the liked titles, available or not: what "read-alike" is measured against.</summary>
    public IReadOnlyList<CandidateTitle> Anchors { get; init; } = [];
    /// <summary>Titles the patron holds now, had in earlier occurrences, or (with consent only) collected before.</summary>
    public IReadOnlySet<long> AlreadyHad { get; init; } = new HashSet<long>();
    /// <summary>Titles the librarian removed from this request's bundle: never proposed again for it.</summary>
    public IReadOnlySet<long> Removed { get; init; } = new HashSet<long>();
    /// <summary>Titles an earlier proposal showed: a new proposal prefers others.</summary>
    public IReadOnlySet<long> Shown { get; init; } = new HashSet<long>();
    /// <summary>Copies the librarian pinned: kept, first, whatever the filters say.</summary>
    public IReadOnlyList<long> Pinned { get; init; } = [];
    public int Seed { get; init; }
}

/// <summary>One line of the transparent score: what was seen, and the points it gives.</summary>
internal sealed record Signal(string Kind, string Label, double Points);

internal sealed record BundleItem(long CopyId, long TitleId, bool Local, bool Pinned, double Score,
    IReadOnlyList<Signal> Signals, IReadOnlyList<string> Reasons);

/// <summary>
/// A proposal: the items, what the builder could not understand (to check by hand), how many titles
/// each hard filter set aside, and how many items are missing when the catalogue ran short.
/// </summary>
internal sealed record Bundle(IReadOnlyList<BundleItem> Items, IReadOnlyList<string> Unmatched,
    IReadOnlyDictionary<string, int> Excluded, int Shortfall, IReadOnlyList<long> DroppedPins);
