using FluentValidation;

namespace ClickCollect.Api.Features.Network;

internal sealed record BibliobusResponse(long Id, long HomeBranchId, string Name, IReadOnlyList<RouteResponse> Routes);
internal sealed record RouteResponse(long Id, long BibliobusId, string Name, IReadOnlyList<StopResponse> Stops);
internal sealed record StopResponse(long Id, long RouteId, string Name, string Address, int Position, long PickupPointId,
    IReadOnlyList<StopVisit> Schedule, IReadOnlyList<StopException> Exceptions);

/// <summary>A weekly visit: ISO weekday (1 = Monday … 7 = Sunday), local arrival and departure.</summary>
internal sealed record StopVisit(int Weekday, TimeOnly ArrivesAt, TimeOnly DepartsAt);

internal enum StopExceptionKind { Cancelled, Changed }

/// <summary>A date on which the stop is not served (cancelled) or served at other times (changed).</summary>
internal sealed record StopException(DateOnly Date, StopExceptionKind Kind, TimeOnly? ArrivesAt, TimeOnly? DepartsAt, string? Note);

internal sealed record BibliobusRequest(long HomeBranchId, string Name);
internal sealed record RouteRequest(string Name);
internal sealed record StopRequest(string Name, string? Address, int Position, IReadOnlyList<StopVisit>? Schedule);

internal sealed class BibliobusRequestValidator : AbstractValidator<BibliobusRequest>
{
    public BibliobusRequestValidator()
    {
        RuleFor(r => r.HomeBranchId).GreaterThan(0);
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
    }
}

internal sealed class RouteRequestValidator : AbstractValidator<RouteRequest>
{
    public RouteRequestValidator() => RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
}

internal sealed class StopRequestValidator : AbstractValidator<StopRequest>
{
    public StopRequestValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Address).MaximumLength(300);
        RuleFor(r => r.Position).InclusiveBetween(1, 1000);
        RuleForEach(r => r.Schedule).ChildRules(v =>
        {
            v.RuleFor(x => x.Weekday).InclusiveBetween(1, 7).WithMessage("Jour ISO attendu : 1 (lundi) à 7 (dimanche).");
            v.RuleFor(x => x.DepartsAt).GreaterThan(x => x.ArrivesAt).WithMessage("Le départ doit suivre l'arrivée.");
        });
    }
}

internal sealed class StopExceptionValidator : AbstractValidator<StopException>
{
    public StopExceptionValidator()
    {
        RuleFor(r => r.Kind).IsInEnum();
        RuleFor(r => r.ArrivesAt).NotNull().When(r => r.Kind == StopExceptionKind.Changed)
            .WithMessage("Un passage modifié a une heure d'arrivée.");
        RuleFor(r => r.DepartsAt).NotNull().When(r => r.Kind == StopExceptionKind.Changed)
            .WithMessage("Un passage modifié a une heure de départ.");
        RuleFor(r => r.DepartsAt).GreaterThan(r => r.ArrivesAt).When(r => r.Kind == StopExceptionKind.Changed && r.ArrivesAt is not null)
            .WithMessage("Le départ doit suivre l'arrivée.");
        RuleFor(r => r.Note).MaximumLength(300);
    }
}
