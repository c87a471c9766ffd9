using FluentValidation;

namespace ClickCollect.Api.Features.Network;

internal enum PickupPointKind { Counter, BibliobusStop }

/// <summary>
/// Where a patron collects: a counter or a bibliobus stop. <c>BranchId</c> is the branch whose stock
/// serves it: the counter's branch, or the bibliobus's home branch for a stop.
/// </summary>
internal sealed class PickupPointRow
{
    public long Id { get; init; }
    public PickupPointKind Kind { get; init; }
    public string Name { get; init; } = "";
    public long BranchId { get; init; }
    public string BranchName { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public bool Active { get; init; }
    public long? CounterId { get; init; }
    public long? StopId { get; init; }

    public PickupPointResponse ToResponse() => new(Id, Kind, Name, BranchId, BranchName, TimeZone, Active, CounterId, StopId);
}

internal sealed record PickupPointResponse(long Id, PickupPointKind Kind, string Name, long BranchId, string BranchName,
    string TimeZone, bool Active, long? CounterId, long? StopId);

internal sealed record PickupPointRequest(string Name, bool Active);

internal sealed class PickupPointRequestValidator : AbstractValidator<PickupPointRequest>
{
    public PickupPointRequestValidator() => RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
}
