using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Holds;

/// <summary>
/// The hold states each rule depends on, defined once (#15). Queries splice the <c>…Sql</c> lists into
/// their SQL (<c>$"… where h.status in {HoldStatuses.ActiveSql}"</c>); C# uses the enum arrays, parsed from
/// the same lists. Add a state or a rule here, never as a literal list in a store.
/// </summary>
internal static class HoldStatuses
{
    /// <summary>Not finished: counts against the patron's limit, blocks a second hold on the same title,
    /// may be cancelled or expire.</summary>
    public const string ActiveSql = "('queued', 'toPick', 'inTransit', 'ready')";

    /// <summary>A copy is set aside for it: the copy appears on a pick list (or waits on the pickup shelf)
    /// and may be booked for collection. The unique index holds_one_active_per_copy (0004_reservations.sql)
    /// uses the same list.</summary>
    public const string AllocatedSql = "('toPick', 'inTransit', 'ready')";

    /// <summary>Allocated but not yet on the pickup shelf: still to pick, or travelling from another branch.</summary>
    public const string PreparingSql = "('toPick', 'inTransit')";

    /// <summary>Over: collected, expired or cancelled. The complement of <see cref="ActiveSql"/>; what the
    /// retention job unlinks from its patron once its period is over.</summary>
    public const string FinishedSql = "('collected', 'expired', 'cancelled')";

    public static readonly HoldStatus[] Active = StatusList.Parse<HoldStatus>(ActiveSql);
    public static readonly HoldStatus[] Finished = StatusList.Parse<HoldStatus>(FinishedSql);
    public static readonly HoldStatus[] Allocated = StatusList.Parse<HoldStatus>(AllocatedSql);
    public static readonly HoldStatus[] Preparing = StatusList.Parse<HoldStatus>(PreparingSql);
}
