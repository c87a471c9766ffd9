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
        services.AddSingleton<BookAppointment>();
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
            .WithValidation<BookAppointmentRequest>().WithIdempotencyInTransaction<BookAppointmentRequest>()
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
        BookAppointmentRequest request, CurrentUser user, PatronResolver patrons, BookAppointment booking, HttpContext http, CancellationToken ct)
    {
        var (patronId, refused) = await patrons.ResolveIdAsync(user, request.PatronCardNumber, ct);
        if (refused is not null) return refused;
        return (await booking.RunAsync(patronId!.Value, request, user.IsStaff ? HoldChannel.Phone : HoldChannel.Web, ct, IdempotencyClaim.Of(http))).ToHttp();
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
        // Not written: judged on the appointment as it is now, not as read before the write. A double tap
        // (two requests at once, on one instance or two) has one of them record the arrival between.
        appointment = await store.GetAsync(id, ct) ?? appointment;
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
