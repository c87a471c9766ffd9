using FluentValidation;

namespace ClickCollect.Api.Features.Appointments;

/// <summary>Book a slot at a pickup point to collect some of the patron's holds.</summary>
internal sealed record BookAppointmentRequest(long PickupPointId, DateTimeOffset SlotStart, IReadOnlyList<long> HoldIds, string? PatronCardNumber);

internal sealed class BookAppointmentRequestValidator : AbstractValidator<BookAppointmentRequest>
{
    public BookAppointmentRequestValidator()
    {
        RuleFor(r => r.PickupPointId).GreaterThan(0);
        RuleFor(r => r.SlotStart).NotEqual(default(DateTimeOffset));
        RuleFor(r => r.HoldIds).NotEmpty().WithMessage("Choisissez au moins une réservation à retirer.");
        RuleFor(r => r.HoldIds).Must(ids => ids.Count <= 30).WithMessage("30 réservations au plus par rendez-vous.")
            .Must(ids => ids.Distinct().Count() == ids.Count).WithMessage("Une réservation figure deux fois.")
            .When(r => r.HoldIds is not null);
        RuleFor(r => r.PatronCardNumber).MaximumLength(40);
    }
}

internal abstract record BookOutcome
{
    public sealed record Booked(long AppointmentId) : BookOutcome;
    /// <summary>The holds joined the patron's appointment already in that slot (answered 200, no extra place used).</summary>
    public sealed record Joined(long AppointmentId) : BookOutcome;
    /// <summary>A refusal: the stable code and the French explanation of a 409 problem.</summary>
    public sealed record Refused(string Code, string Title, string Detail) : BookOutcome;
    /// <summary>Hold ids that are not the patron's (answered as a 400 naming holdIds).</summary>
    public sealed record UnknownHolds(IReadOnlyList<long> Ids) : BookOutcome;
}
