using FluentValidation;

namespace ClickCollect.Api.Features.Network;

internal sealed class BranchRow
{
    public long Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string Address { get; init; } = "";
    public string Phone { get; init; } = "";

    public BranchResponse ToResponse(IReadOnlyList<CounterResponse> counters) => new(Id, Code, Name, TimeZone, Address, Phone, counters);
}

internal sealed class CounterRow
{
    public long Id { get; init; }
    public long BranchId { get; init; }
    public string Name { get; init; } = "";
    public long PickupPointId { get; init; }

    public CounterResponse ToResponse() => new(Id, BranchId, Name, PickupPointId);
}

internal sealed record BranchResponse(long Id, string Code, string Name, string TimeZone, string Address, string Phone,
    IReadOnlyList<CounterResponse> Counters);

internal sealed record CounterResponse(long Id, long BranchId, string Name, long PickupPointId);

/// <summary>Creates or replaces a branch. <c>Code</c> is the short identifier import files use ("CENTRALE").</summary>
internal sealed record BranchRequest(string Code, string Name, string? TimeZone, string? Address, string? Phone)
{
    public const string DefaultTimeZone = "Europe/Paris";
}

internal sealed class BranchRequestValidator : AbstractValidator<BranchRequest>
{
    public BranchRequestValidator()
    {
        RuleFor(r => r.Code).NotEmpty().MaximumLength(20).Matches("^[A-Z0-9_-]+$")
            .WithMessage("Majuscules sans accent, chiffres, « _ » et « - » seulement.");
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.TimeZone).Must(z => TimeZoneInfo.TryFindSystemTimeZoneById(z!, out _))
            .When(r => !string.IsNullOrEmpty(r.TimeZone)).WithMessage("Fuseau horaire inconnu (ex. Europe/Paris).");
        RuleFor(r => r.Address).MaximumLength(300);
        RuleFor(r => r.Phone).MaximumLength(40);
    }
}

internal sealed record CounterRequest(string Name);

internal sealed class CounterRequestValidator : AbstractValidator<CounterRequest>
{
    public CounterRequestValidator() => RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
}
