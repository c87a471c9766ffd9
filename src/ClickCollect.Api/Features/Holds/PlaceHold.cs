using FluentValidation;

namespace ClickCollect.Api.Features.Holds;

/// <summary>
/// Reserve a title (any copy) or one copy, to collect at a pickup point. Staff at the phone desk
/// name the patron with <c>PatronCardNumber</c>; patrons reserve for themselves.
/// </summary>
internal sealed record PlaceHoldRequest(long? TitleId, long? CopyId, long PickupPointId, string? PatronCardNumber);

internal sealed class PlaceHoldRequestValidator : AbstractValidator<PlaceHoldRequest>
{
    public PlaceHoldRequestValidator()
    {
        RuleFor(r => r.TitleId).NotNull().When(r => r.CopyId is null).WithMessage("Indiquez un titre (titleId) ou un exemplaire (copyId).");
        RuleFor(r => r.CopyId).Null().When(r => r.TitleId is not null).WithMessage("Indiquez un titre ou un exemplaire, pas les deux.");
        RuleFor(r => r.TitleId).GreaterThan(0).When(r => r.TitleId is not null);
        RuleFor(r => r.CopyId).GreaterThan(0).When(r => r.CopyId is not null);
        RuleFor(r => r.PickupPointId).GreaterThan(0);
        RuleFor(r => r.PatronCardNumber).MaximumLength(40);
    }
}

/// <summary>What placing a hold came to; the endpoint turns each into a response.</summary>
internal abstract record PlaceHoldOutcome
{
    public sealed record Placed(long HoldId) : PlaceHoldOutcome;
    public sealed record UnknownTitle : PlaceHoldOutcome;
    public sealed record UnknownCopy : PlaceHoldOutcome;
    public sealed record UnknownPickupPoint : PlaceHoldOutcome;
    public sealed record AlreadyHeld(long HoldId) : PlaceHoldOutcome;
    public sealed record LimitReached(int Max) : PlaceHoldOutcome;
}
