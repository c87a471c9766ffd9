using System.Text.Json;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Infrastructure;

namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>
/// Open (in the queue) → Claimed (a librarian works it) → Proposed (a bundle is reserved softly) →
/// Confirmed (holds placed); or Cancelled. A lapsed claim puts the request back in the queue.
/// </summary>
internal enum SelectionStatus { Open, Claimed, Proposed, Confirmed, Cancelled }

internal enum SelectionChannel { Web, Phone }

internal sealed class SelectionRow
{
    public long Id { get; init; }
    public long PatronId { get; init; }
    public string CardNumber { get; init; } = "";
    public string FirstName { get; init; } = "";
    public long PickupPointId { get; init; }
    public string PickupPointName { get; init; } = "";
    public long PickupBranchId { get; init; }
    /// <summary>The pickup point's branch's zone: times in messages are its wall-clock times.</summary>
    public string TimeZone { get; init; } = "Europe/Paris";
    public int ItemCount { get; init; }
    public string? Audience { get; init; }
    public string Formats { get; init; } = "[]";
    public string Languages { get; init; } = "[]";
    public string Genres { get; init; } = "[]";
    public string LikedAuthors { get; init; } = "[]";
    public string LikedTitles { get; init; } = "[]";
    public string Avoid { get; init; } = "[]";
    public string Notes { get; init; } = "";
    public bool UseHistory { get; init; }
    public int? RepeatEveryWeeks { get; init; }
    public int? RepeatTimes { get; init; }
    public int Occurrence { get; init; }
    public long? FirstRequestId { get; init; }
    public DateTimeOffset OpensAt { get; init; }
    public SelectionStatus Status { get; init; }
    public SelectionChannel Channel { get; init; }
    public long? ClaimedByStaffId { get; init; }
    public string? ClaimedByName { get; init; }
    public DateTimeOffset? ClaimedUntil { get; init; }
    public int? ProposalSeed { get; init; }
    public string? ProposalSummary { get; init; }
    public string LibrarianNote { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }

    public long SeriesId => FirstRequestId ?? Id;

    public DateTime Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(TimeZone)).DateTime;

    public bool IsClosed => Status is SelectionStatus.Confirmed or SelectionStatus.Cancelled;

    /// <summary>The status as the queue sees it: a claim that lapsed is open again.</summary>
    public SelectionStatus StatusAt(DateTimeOffset now) =>
        Status is SelectionStatus.Claimed or SelectionStatus.Proposed && ClaimedUntil < now ? SelectionStatus.Open : Status;

    public bool ClaimedByOtherThan(long staffId, DateTimeOffset now) =>
        StatusAt(now) is SelectionStatus.Claimed or SelectionStatus.Proposed && ClaimedByStaffId != staffId;

    public Tastes ToTastes() => new()
    {
        Count = ItemCount,
        Audience = EnumText<Audience>.TryParse(Audience, out var audience) ? audience : null,
        Formats = List(Formats).Select(f => EnumText<DocumentFormat>.TryParse(f, out var format) ? format : (DocumentFormat?)null)
            .OfType<DocumentFormat>().ToList(),
        Languages = List(Languages),
        Genres = List(Genres),
        LikedAuthors = List(LikedAuthors),
        LikedTitles = List(LikedTitles),
        Avoid = List(Avoid),
    };

    public SelectionRequestResponse ToResponse(DateTimeOffset now, bool forStaff)
    {
        var tastes = ToTastes();
        var status = StatusAt(now);
        var claimed = status is SelectionStatus.Claimed or SelectionStatus.Proposed;
        return new(Id, status, CardNumber, FirstName, PickupPointId, PickupPointName, ItemCount, tastes.Audience, [.. tastes.Formats],
            [.. tastes.Languages], [.. tastes.Genres], [.. tastes.LikedAuthors], [.. tastes.LikedTitles], [.. tastes.Avoid], Notes, UseHistory,
            RepeatEveryWeeks, RepeatTimes, Occurrence, FirstRequestId, Channel, CreatedAt, OpensAt,
            claimed && forStaff ? ClaimedByStaffId : null, claimed && forStaff ? ClaimedByName : null, claimed ? ClaimedUntil : null,
            // The patron reads the note once the selection is confirmed ("Mon compte"), not the librarian's draft.
            forStaff || ConfirmedAt is not null ? LibrarianNote : "", ConfirmedAt, CancelledAt);
    }

    public static string[] List(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    public static string Json(IEnumerable<string>? items) =>
        JsonSerializer.Serialize((items ?? []).Select(i => i.Trim()).Where(i => i.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray());
}

internal sealed record SelectionRequestResponse(long Id, SelectionStatus Status, string PatronCardNumber, string PatronFirstName,
    long PickupPointId, string PickupPointName, int Count, Audience? Audience, DocumentFormat[] Formats, string[] Languages,
    string[] Genres, string[] LikedAuthors, string[] LikedTitles, string[] Avoid, string Notes, bool UseHistory,
    int? RepeatEveryWeeks, int? RepeatTimes, int Occurrence, long? FirstRequestId, SelectionChannel Channel,
    DateTimeOffset CreatedAt, DateTimeOffset OpensAt, long? ClaimedByStaffId, string? ClaimedByName, DateTimeOffset? ClaimedUntil,
    string LibrarianNote, DateTimeOffset? ConfirmedAt, DateTimeOffset? CancelledAt)
{
    /// <summary>The current bundle, when one request is read in full by staff (the reader never sees it: a surprise); null in lists.</summary>
    public ProposalResponse? Proposal { get; init; }

    /// <summary>The holds the request became, when one request is read in full; null in lists.</summary>
    public IReadOnlyList<Holds.HoldResponse>? Holds { get; init; }
}

internal sealed record ProposalResponse(long RequestId, SelectionStatus Status, int? Seed, DateTimeOffset? ClaimedUntil,
    IReadOnlyList<ProposalItemResponse> Items, IReadOnlyList<string> Unmatched, IReadOnlyDictionary<string, int> Excluded,
    int Shortfall, IReadOnlyList<long> DroppedPins);

internal sealed record ProposalItemResponse(long CopyId, long TitleId, string Title, string[] Authors, string[] Genres,
    Audience Audience, DocumentFormat Format, string Language, int? Year, long BranchId, string BranchName, string Barcode,
    string ShelfLocation, string CallNumber, bool Local, bool Pinned, double Score, IReadOnlyList<string> Reasons,
    IReadOnlyList<Signal> Signals);

/// <summary>What a proposal run said besides its items, kept with the request.</summary>
internal sealed record ProposalSummary(IReadOnlyList<string> Unmatched, IReadOnlyDictionary<string, int> Excluded, int Shortfall,
    IReadOnlyList<long> DroppedPins);

/// <summary>An item's explanation as stored with it.</summary>
internal sealed record ItemExplanation(IReadOnlyList<string> Reasons, IReadOnlyList<Signal> Signals);

/// <summary>Settings of surprise selections; section "Selections".</summary>
internal sealed class SelectionOptions
{
    public const string Section = "Selections";

    /// <summary>How long a claim keeps a request (and its bundle's copies) for one librarian; renewed by each action.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How far back past loans are read, with the patron's consent, to avoid proposing them again.</summary>
    public int HistoryMonths { get; set; } = 24;
}
