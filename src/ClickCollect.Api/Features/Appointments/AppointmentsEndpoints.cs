using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Appointments;

internal static class AppointmentsEndpoints
{
    public static void AddAppointments(this IServiceCollection services)
    {
        DapperSetup.AddEnum<AppointmentStatus>();
        services.AddOptions<AppointmentOptions>().BindConfiguration(AppointmentOptions.Section)
            .Validate(o => o.MaxPerPatronPerDay > 0, "Appointments:MaxPerPatronPerDay must be positive.").ValidateOnStart();
        services.AddSingleton<AppointmentStore>();
        services.AddSingleton<IValidator<BookAppointmentRequest>, BookAppointmentRequestValidator>();
        services.AddSingleton<IValidator<AddHoldsRequest>, AddHoldsRequestValidator>();
        services.AddSingleton<IValidator<MoveAppointmentRequest>, MoveAppointmentRequestValidator>();
        services.AddSingleton<AppointmentAccess>();
        services.AddHostedService<NoShowWorker>();
    }

    public static void MapAppointments(this IEndpointRouteBuilder api)
    {
        var appointments = api.MapGroup("/appointments").WithTags("Appointments").RequireAuthorization(Policies.PatronOrStaff);
        appointments.MapPost("/", Book).WithName("BookAppointment")
            .WithSummary("Book a pickup slot for some holds; 409 when the slot is full; 200 when they join the patron's appointment in that slot")
            .WithValidation<BookAppointmentRequest>().WithIdempotency<BookAppointmentRequest>()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        appointments.MapGet("/", List).WithName("ListAppointments")
            .WithSummary("Patron: their appointments. Staff: a pickup point's appointments on a date");
        appointments.MapGet("/{id:long}", Get).WithName("GetAppointment").WithSummary("One appointment").ProducesProblem(StatusCodes.Status404NotFound);
        appointments.MapDelete("/{id:long}", Cancel).WithName("CancelAppointment").WithSummary("Cancel: the place is freed")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        appointments.MapPost("/{id:long}/handover", HandOver.HandOverAsync).WithName("HandOverAppointment")
            .WithSummary("Check out every Ready hold of the appointment (loans with due dates) and answer the receipt")
            .RequireAuthorization(Policies.Staff).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        appointments.MapPost("/{id:long}/holds", ChangeAppointment.AddHoldsAsync).WithName("AddHoldsToAppointment")
            .WithSummary("Add documents (ready or to pick) to a booked appointment").WithValidation<AddHoldsRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        appointments.MapPost("/{id:long}/move", ChangeAppointment.MoveAsync).WithName("MoveAppointment")
            .WithSummary("Move a booked appointment to another slot of its pickup point (the rules of a booking); the patron gets an SMS")
            .WithValidation<MoveAppointmentRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        appointments.MapPost("/{id:long}/arrival", Arrive).WithName("ArriveForAppointment")
            .WithSummary("\"I'm here\": from 30 minutes before the slot").ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    static async Task<Results<Created<AppointmentResponse>, Ok<AppointmentResponse>, ProblemHttpResult>> Book(
        BookAppointmentRequest request, CurrentUser user, PatronResolver patrons, SlotStore slots, AppointmentStore store, LockdownStore lockdowns,
        Db db, IOptions<AppointmentOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var patron = await patrons.ResolveAsync(user, request.PatronCardNumber, ct);
        if (patron.Problem is { } refused) return refused;
        var calendar = await slots.LoadAsync(request.PickupPointId, ct);
        if (calendar is null) return Problems.Field("pickupPointId", $"Le point de retrait {request.PickupPointId} n'existe pas.");

        var now = clock.GetUtcNow();
        var slot = calendar.Bookable(now).FirstOrDefault(s => s.Start == request.SlotStart);
        if (slot is null) return SlotRefusal(calendar, request.SlotStart, now);

        var date = SlotCalculator.LocalDate(slot.Start, calendar.Zone);
        var day = (SlotCalculator.ToUtc(date.ToDateTime(TimeOnly.MinValue), calendar.Zone),
                   SlotCalculator.ToUtc(date.AddDays(1).ToDateTime(TimeOnly.MinValue), calendar.Zone));
        var appointment = new NewAppointment(patron.Row!.Id, request.PickupPointId, slot, date, request.HoldIds,
            user.IsStaff ? HoldChannel.Phone : HoldChannel.Web, now);

        BookOutcome outcome;
        await using (var uow = await db.WriteAsync(ct)) // closed before reading back (see PlaceHold)
        {
            // A lockdown's cap lowers the capacity for new bookings only (those above it are kept); read
            // under the lending lock, so a lockdown declared now applies to every booking after it.
            await uow.LockSharedAsync(LockKeys.Lending, ct);
            var capacity = LockdownRules.CappedCapacity(slot.Capacity, date, await lockdowns.PeriodsForPickupPointAsync(uow, request.PickupPointId, ct));
            outcome = await store.BookAsync(uow, appointment, capacity, options.Value.MaxPerPatronPerDay, day, ct);
            if (outcome is BookOutcome.Booked or BookOutcome.Joined) await uow.CommitAsync(ct);
        }
        switch (outcome)
        {
            case BookOutcome.UnknownHolds(var ids):
                return Problems.Field("holdIds", $"Réservations inconnues pour ce lecteur : {string.Join(", ", ids)}.");
            case BookOutcome.Refused(var code, var title, var detail):
                return Problems.Conflict(code, title, detail);
        }
        if (outcome is BookOutcome.Joined(var joined)) return TypedResults.Ok((await store.GetAsync(joined, ct))!);
        var id = ((BookOutcome.Booked)outcome).AppointmentId;
        return TypedResults.Created($"/api/appointments/{id}", (await store.GetAsync(id, ct))!);
    }

    /// <summary>Why a requested start is not a bookable slot, most specific reason first.</summary>
    internal static ProblemHttpResult SlotRefusal(PickupCalendar calendar, DateTimeOffset start, DateTimeOffset now)
    {
        var date = SlotCalculator.LocalDate(start, calendar.Zone);
        var today = calendar.Today(now);
        if (start < now + calendar.LeadTime)
            return Problems.Conflict("slot_past", "Créneau passé ou trop proche",
                $"Réservez au moins {calendar.LeadTime.TotalMinutes:0} minutes à l'avance.");
        if (date > today.AddDays(calendar.HorizonDays))
            return Problems.Conflict("slot_beyond_horizon", "Créneau trop lointain", $"Réservez au plus {calendar.HorizonDays} jours à l'avance.");
        if (!calendar.IsOpen(date))
            return Problems.Conflict("slot_closed", "Point de retrait fermé", $"Le point de retrait est fermé le {date:dd/MM/yyyy}.");
        return Problems.Conflict("slot_unknown", "Créneau inconnu", "Ce début ne correspond à aucun créneau : choisissez-en un dans la liste.");
    }

    static async Task<Results<Ok<IReadOnlyList<AppointmentResponse>>, ProblemHttpResult>> List(
        long? pickupPointId, DateOnly? date, CurrentUser user, SlotStore slots, AppointmentStore store, TimeProvider clock, CancellationToken ct)
    {
        if (user.IsPatron) return TypedResults.Ok(await store.ListAsync(new AppointmentFilter(PatronId: user.Id), ct));
        if (pickupPointId is null) return Problems.Field("pickupPointId", "Indiquez le point de retrait.");
        if (await slots.LoadAsync(pickupPointId.Value, ct) is not { } calendar) return Problems.Field("pickupPointId", "Point de retrait inconnu.");
        var day = date ?? calendar.Today(clock.GetUtcNow());
        return TypedResults.Ok(await store.ListAsync(new AppointmentFilter(PickupPointId: pickupPointId,
            From: SlotCalculator.ToUtc(day.ToDateTime(TimeOnly.MinValue), calendar.Zone),
            To: SlotCalculator.ToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue), calendar.Zone)), ct));
    }

    static async Task<Results<Ok<AppointmentResponse>, ProblemHttpResult>> Get(long id, CurrentUser user, AppointmentAccess owner, CancellationToken ct) =>
        await owner.FindAsync(id, user, ct) is { } appointment ? TypedResults.Ok(appointment) : Problems.NotFound("Le rendez-vous", id);

    static async Task<Results<Ok<AppointmentResponse>, ProblemHttpResult>> Cancel(
        long id, CurrentUser user, AppointmentStore store, AppointmentAccess owner, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await owner.FindAsync(id, user, ct) is not { } appointment) return Problems.NotFound("Le rendez-vous", id);
        var by = user.IsPatron ? CancelledBy.Patron : CancelledBy.Staff;
        if (await db.WriteAsync(uow => store.CancelAsync(uow, id, clock.GetUtcNow(), by, ct), ct) == 0)
            return Problems.Conflict("appointment_closed", "Rendez-vous terminé", $"Le rendez-vous est « {DapperSetup.ToDb(appointment.Status)} ».");
        return TypedResults.Ok((await store.GetAsync(id, ct))!);
    }

    static async Task<Results<Ok<AppointmentResponse>, ProblemHttpResult>> Arrive(
        long id, CurrentUser user, AppointmentStore store, AppointmentAccess owner, Db db, IOptions<AppointmentOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        if (await owner.FindAsync(id, user, ct) is not { } appointment) return Problems.NotFound("Le rendez-vous", id);
        var now = clock.GetUtcNow();
        var o = options.Value;
        if (await db.WriteAsync(uow => store.ArriveAsync(uow, id, now, o.ArrivalOpensBefore, o.NoShowGrace, ct), ct) == 1)
            return TypedResults.Ok((await store.GetAsync(id, ct))!);
        if (appointment.Status == AppointmentStatus.Arrived) return TypedResults.Ok(appointment); // "I'm here" twice is harmless
        if (appointment.Status != AppointmentStatus.Booked)
            return Problems.Conflict("appointment_closed", "Rendez-vous terminé", $"Le rendez-vous est « {DapperSetup.ToDb(appointment.Status)} ».");
        return now < appointment.SlotStart - o.ArrivalOpensBefore
            ? Problems.Conflict("arrival_too_early", "Un peu tôt", $"Signalez votre arrivée à partir de {o.ArrivalOpensBefore.TotalMinutes:0} minutes avant le créneau.")
            : Problems.Conflict("appointment_over", "Créneau terminé", "Le créneau est passé : prenez un nouveau rendez-vous.");
    }
}

/// <summary>An appointment as its owner or staff may see it; null for anyone else (answered 404).</summary>
internal sealed class AppointmentAccess(AppointmentStore store)
{
    public async Task<AppointmentResponse?> FindAsync(long id, CurrentUser user, CancellationToken ct)
    {
        var appointment = await store.GetAsync(id, ct);
        if (appointment is null) return null;
        if (user.IsStaff) return appointment;
        return string.Equals(appointment.PatronCardNumber, user.CardNumber, StringComparison.OrdinalIgnoreCase) ? appointment : null;
    }
}
