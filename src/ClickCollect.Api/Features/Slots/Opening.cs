using FluentValidation;

namespace ClickCollect.Api.Features.Slots;

/// <summary>How a pickup point opens: settings, weekly windows (counters) and closures.</summary>
internal sealed record OpeningResponse(long PickupPointId, int LeadTimeMinutes, int HorizonDays, int PickupOpenDays,
    int StopSlotMinutes, int StopSlotCapacity, IReadOnlyList<OpeningWindow> Windows, IReadOnlyList<ClosureResponse> Closures);

internal sealed record ClosureResponse(long Id, DateOnly StartsOn, DateOnly EndsOn, string Reason);

/// <summary>Replaces the settings and the weekly windows of a pickup point.</summary>
internal sealed record OpeningRequest(int LeadTimeMinutes, int HorizonDays, int PickupOpenDays, int StopSlotMinutes, int StopSlotCapacity,
    IReadOnlyList<OpeningWindow> Windows);

internal sealed record ClosureRequest(DateOnly StartsOn, DateOnly EndsOn, string? Reason);

internal sealed class OpeningRequestValidator : AbstractValidator<OpeningRequest>
{
    public OpeningRequestValidator()
    {
        RuleFor(r => r.LeadTimeMinutes).InclusiveBetween(0, 60 * 24 * 14);
        RuleFor(r => r.HorizonDays).InclusiveBetween(1, 120);
        RuleFor(r => r.PickupOpenDays).InclusiveBetween(1, 60);
        RuleFor(r => r.StopSlotMinutes).InclusiveBetween(5, 240);
        RuleFor(r => r.StopSlotCapacity).InclusiveBetween(1, 500);
        RuleFor(r => r.Windows).NotNull();
        RuleForEach(r => r.Windows).ChildRules(w =>
        {
            w.RuleFor(x => x.Weekday).InclusiveBetween(1, 7).WithMessage("Jour ISO attendu : 1 (lundi) à 7 (dimanche).");
            w.RuleFor(x => x.EndsAt).GreaterThan(x => x.StartsAt).WithMessage("La fin doit suivre le début.");
            w.RuleFor(x => x.SlotMinutes).InclusiveBetween(5, 240);
            w.RuleFor(x => x.Capacity).InclusiveBetween(1, 500);
            w.RuleFor(x => x.MaxItems).GreaterThan(0).When(x => x.MaxItems is not null);
        });
        RuleFor(r => r.Windows).Must(NotOverlap).When(r => r.Windows is not null)
            .WithMessage("Deux plages du même jour se chevauchent.");
    }

    static bool NotOverlap(IReadOnlyList<OpeningWindow> windows) => windows.GroupBy(w => w.Weekday).All(day =>
    {
        var sorted = day.OrderBy(w => w.StartsAt).ToList();
        return sorted.Zip(sorted.Skip(1)).All(p => p.First.EndsAt <= p.Second.StartsAt);
    });
}

internal sealed class ClosureRequestValidator : AbstractValidator<ClosureRequest>
{
    public ClosureRequestValidator()
    {
        RuleFor(r => r.EndsOn).GreaterThanOrEqualTo(r => r.StartsOn).WithMessage("La fin ne peut précéder le début.");
        RuleFor(r => r.Reason).MaximumLength(200);
    }
}
