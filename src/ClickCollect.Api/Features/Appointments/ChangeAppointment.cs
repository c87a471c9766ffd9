using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Appointments;

/// <summary>Add documents to an appointment.</summary>
internal sealed record AddHoldsRequest(IReadOnlyList<long> HoldIds);

internal sealed class AddHoldsRequestValidator : AbstractValidator<AddHoldsRequest>
{
    public AddHoldsRequestValidator()
    {
        RuleFor(r => r.HoldIds).NotEmpty().WithMessage("Choisissez au moins une réservation à ajouter.");
        RuleFor(r => r.HoldIds).Must(ids => ids.Count <= 30).WithMessage("30 réservations au plus par rendez-vous.")
            .Must(ids => ids.Distinct().Count() == ids.Count).WithMessage("Une réservation figure deux fois.")
            .When(r => r.HoldIds is not null);
    }
}

/// <summary>Move an appointment to another slot of the same pickup point.</summary>
internal sealed record MoveAppointmentRequest(DateTimeOffset SlotStart);

internal sealed class MoveAppointmentRequestValidator : AbstractValidator<MoveAppointmentRequest>
{
    public MoveAppointmentRequestValidator() => RuleFor(r => r.SlotStart).NotEqual(default(DateTimeOffset));
}

/// <summary>
/// Changing a booked appointment (issue 10): adding documents and moving it. Both follow the rules of
/// a booking (AppointmentStore.BookAsync) and are open to the patron who owns it and to staff.
/// </summary>
internal static class ChangeAppointment
{
    public static async Task<Results<Ok<AppointmentResponse>, ProblemHttpResult>> AddHoldsAsync(
        long id, AddHoldsRequest request, CurrentUser user, AppointmentAccess owner, AppointmentStore store, PatronStore patrons, SlotStore slots,
        Db db, CancellationToken ct)
    {
        if (await owner.FindAsync(id, user, ct) is not { } appointment) return Problems.NotFound("Le rendez-vous", id);
        if (await SlotOfAsync(appointment, slots, ct) is not var (slot, date, _)) return SlotGone();
        var patron = (await patrons.FindByCardAsync(appointment.PatronCardNumber, ct))!;
        BookOutcome outcome;
        await using (var uow = await db.WriteAsync(ct))
        {
            outcome = await store.AddHoldsAsync(uow, appointment, patron.Id, slot, date, request.HoldIds, ct);
            if (outcome is BookOutcome.Joined) await uow.CommitAsync(ct);
        }
        return outcome is BookOutcome.Joined ? TypedResults.Ok((await store.GetAsync(id, ct))!) : Refusal(outcome);
    }

    public static async Task<Results<Ok<AppointmentResponse>, ProblemHttpResult>> MoveAsync(
        long id, MoveAppointmentRequest request, CurrentUser user, AppointmentAccess owner, AppointmentStore store, PatronStore patrons,
        SlotStore slots, LockdownStore lockdowns, Db db, IOptions<AppointmentOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (await owner.FindAsync(id, user, ct) is not { } appointment) return Problems.NotFound("Le rendez-vous", id);
        if (appointment.Status != AppointmentStatus.Booked)
            return Problems.Conflict("appointment_closed", "Rendez-vous terminé",
                $"Le rendez-vous est « {DapperSetup.ToDb(appointment.Status)} » : il ne peut plus être déplacé.");
        if (request.SlotStart == appointment.SlotStart) return TypedResults.Ok(appointment); // already there: nothing to do, no SMS
        var calendar = (await slots.LoadAsync(appointment.PickupPointId, ct))!;
        var now = clock.GetUtcNow();
        var slot = calendar.Bookable(now).FirstOrDefault(s => s.Start == request.SlotStart);
        if (slot is null) return BookAppointment.SlotRefusal(calendar, request.SlotStart, now);

        var date = SlotCalculator.LocalDate(slot.Start, calendar.Zone);
        var day = (SlotCalculator.ToUtc(date.ToDateTime(TimeOnly.MinValue), calendar.Zone),
                   SlotCalculator.ToUtc(date.AddDays(1).ToDateTime(TimeOnly.MinValue), calendar.Zone));
        var patron = (await patrons.FindByCardAsync(appointment.PatronCardNumber, ct))!;
        BookOutcome outcome;
        await using (var uow = await db.WriteAsync(ct))
        {
            uow.LockSharedWithNextStatement(LockKeys.Lending); // as a booking: the lockdown cap in force now, read in the lock's round trip
            var capacity = LockdownRules.CappedCapacity(slot.Capacity, date, await lockdowns.PeriodsForPickupPointAsync(uow, appointment.PickupPointId, ct));
            outcome = await store.MoveAsync(uow, appointment, patron.Id, slot, date, capacity, options.Value.MaxPerPatronPerDay, day,
                user.IsStaff ? HoldChannel.Phone : HoldChannel.Web, now, ct);
            if (outcome is BookOutcome.Booked) await uow.CommitAsync(ct);
        }
        return outcome is BookOutcome.Booked ? TypedResults.Ok((await store.GetAsync(id, ct))!) : Refusal(outcome);
    }

    /// <summary>The appointment's slot as the calendar gives it today (its document cap), and its local date.</summary>
    static async Task<(Slot Slot, DateOnly Date, PickupCalendar Calendar)?> SlotOfAsync(AppointmentResponse a, SlotStore slots, CancellationToken ct)
    {
        if (await slots.LoadAsync(a.PickupPointId, ct) is not { } calendar) return null;
        var date = SlotCalculator.LocalDate(a.SlotStart, calendar.Zone);
        // A slot since removed from the templates still exists for the appointments already in it, without a document cap.
        var slot = calendar.Slots(date, date).FirstOrDefault(s => s.Start == a.SlotStart) ?? new Slot(a.SlotStart, a.SlotEnd, 0, null);
        return (slot, date, calendar);
    }

    static ProblemHttpResult SlotGone() => Problems.Conflict("slot_unknown", "Créneau inconnu", "Le point de retrait de ce rendez-vous n'existe plus.");

    static ProblemHttpResult Refusal(BookOutcome outcome) => outcome switch
    {
        BookOutcome.UnknownHolds(var ids) => Problems.Field("holdIds", $"Réservations inconnues pour ce lecteur : {string.Join(", ", ids)}."),
        BookOutcome.Refused(var code, var title, var detail) => Problems.Conflict(code, title, detail),
        _ => throw new InvalidOperationException($"Not a refusal: {outcome}"),
    };
}
