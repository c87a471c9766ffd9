using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

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
    public sealed record Booked(long AppointmentId) : BookOutcome
    {
        /// <summary>The appointment as its read-back would answer, when the store could tell it from what it read (SQLite).</summary>
        public AppointmentResponse? Answer { get; init; }
    }
    /// <summary>The holds joined the patron's appointment already in that slot (answered 200, no extra place used).</summary>
    public sealed record Joined(long AppointmentId) : BookOutcome;
    /// <summary>A refusal: the stable code and the French explanation of a 409 problem.</summary>
    public sealed record Refused(string Code, string Title, string Detail) : BookOutcome;
    /// <summary>Hold ids that are not the patron's (answered as a 400 naming holdIds).</summary>
    public sealed record UnknownHolds(IReadOnlyList<long> Ids) : BookOutcome;
}

/// <summary>What became of a booking: a new appointment, holds joined to the patron's one in that slot, or a refusal.</summary>
internal abstract record BookingResult
{
    public sealed record Booked(AppointmentResponse Appointment) : BookingResult;
    public sealed record Joined(AppointmentResponse Appointment) : BookingResult;
    public sealed record Refused(ProblemHttpResult Problem) : BookingResult;

    /// <summary>The HTTP answer: 201 with the new appointment, 200 when the holds joined the patron's one, or the problem.</summary>
    public Results<Created<AppointmentResponse>, Ok<AppointmentResponse>, ProblemHttpResult> ToHttp() => this switch
    {
        Booked(var booked) => TypedResults.Created($"/api/appointments/{booked.Id}", booked),
        Joined(var joined) => TypedResults.Ok(joined),
        Refused(var problem) => problem,
        _ => throw new InvalidOperationException($"Unknown result {this}"),
    };
}

/// <summary>
/// Booking a slot for some of a patron's holds, whoever asks (the patron on the web, staff on the phone):
/// the slot must be bookable now; its capacity, lowered by a lockdown's cap for new bookings only, is
/// read under <see cref="LockKeys.Lending"/> held shared, so a lockdown declared now applies to every
/// booking after it; the store's conditional insert decides who gets the last place. Testable without HTTP.
/// </summary>
internal sealed class BookAppointment(SlotStore slots, AppointmentStore store, PickupPointStore pickupPoints, Db db,
    IOptions<AppointmentOptions> options, ClickCollectMetrics metrics, TimeProvider clock)
{
    /// <param name="idempotency">The request's <c>Idempotency-Key</c>, if any: its answer is recorded in the booking's own transaction.</param>
    public async Task<BookingResult> RunAsync(long patronId, BookAppointmentRequest request, HoldChannel channel, CancellationToken ct,
        IdempotencyClaim? idempotency = null)
    {
        var result = await BookAsync(patronId, request, channel, idempotency, ct);
        switch (result)
        {
            case BookingResult.Booked: metrics.Booking("accepted", null); break;
            case BookingResult.Joined: metrics.Booking("joined", null); break;
            case BookingResult.Refused(var problem):
                metrics.Booking("refused", problem.ProblemDetails.Extensions.TryGetValue("code", out var code) ? code?.ToString() : "invalid");
                break;
        }
        return result;
    }

    async Task<BookingResult> BookAsync(long patronId, BookAppointmentRequest request, HoldChannel channel, IdempotencyClaim? idempotency, CancellationToken ct)
    {
        var calendar = await slots.LoadAsync(request.PickupPointId, ct);
        if (calendar is null) return Refuse(Problems.Field("pickupPointId", $"Le point de retrait {request.PickupPointId} n'existe pas."));

        var now = clock.GetUtcNow();
        // Only the requested date's slots: a slot starts on the local date it belongs to, and computing the whole
        // horizon's calendar to find one slot was 6 % of a booking's CPU (#17).
        var requested = SlotCalculator.LocalDate(request.SlotStart, calendar.Zone);
        var slot = calendar.Bookable(now, requested, requested).FirstOrDefault(s => s.Start == request.SlotStart);
        if (slot is null) return Refuse(SlotRefusal(calendar, request.SlotStart, now));

        var date = SlotCalculator.LocalDate(slot.Start, calendar.Zone);
        var day = (SlotCalculator.ToUtc(date.ToDateTime(TimeOnly.MinValue), calendar.Zone),
                   SlotCalculator.ToUtc(date.AddDays(1).ToDateTime(TimeOnly.MinValue), calendar.Zone));
        var appointment = new NewAppointment(patronId, request.PickupPointId, slot, date, request.HoldIds, channel, now);

        // The slot's capacity, lowered by the cap of a lockdown of the pickup point's branch (cached: a pickup point's branch
        // does not move) in force that day, read with the booking's checks in their round trip (#17).
        var branch = await pickupPoints.BranchOfAsync(request.PickupPointId, ct);
        int Capacity(IReadOnlyList<LockdownPeriod> lockdowns) => LockdownRules.CappedCapacity(slot.Capacity, date, branch is { } b ? lockdowns.For(b) : []);

        var (answered, outcome) = await Booking.RunAsync(() => BookInTransactionAsync(appointment, Capacity, day, idempotency, ct), ct);
        if (answered is not null) return answered;
        return await ResultAsync(outcome, id => store.GetAsync(id, ct)); // read back (when the store did not tell the answer) outside the writer's turn
    }

    /// <summary>
    /// PostgreSQL: at most <see cref="DatabaseGate.BookingsAtOnce"/> booking transactions at once, on connections of their own
    /// (<see cref="Db.WriteBookingAsync"/>).
    /// </summary>
    internal DatabaseGate Booking { get; } = new(db.Dialect, DatabaseGate.BookingsAtOnce);

    /// <summary>The booking's unit of work: the outcome, or the whole answer when it was recorded with an idempotency key.</summary>
    async Task<(BookingResult? Answered, BookOutcome Outcome)> BookInTransactionAsync(NewAppointment appointment,
        Func<IReadOnlyList<LockdownPeriod>, int> capacity, (DateTimeOffset, DateTimeOffset) day, IdempotencyClaim? idempotency, CancellationToken ct)
    {
        await using (var uow = await db.WriteBookingAsync(ct))
        {
            uow.LockSharedWithNextStatement(LockKeys.Lending); // taken by the checks' round trip, before the lockdowns are read
            // Without an idempotency record to write after it, the booking's last statement carries its COMMIT (PostgreSQL).
            var outcome = await store.BookAsync(uow, appointment, capacity, options.Value.MaxPerPatronPerDay, day, commitWithPlace: idempotency is null, ct);
            if (idempotency is not null)
            {
                // The answer is stored with the booking (one COMMIT), so it is read back in the unit of work.
                var answer = await ResultAsync(outcome, id => AppointmentStore.GetAsync(uow, id, ct));
                if (!await idempotency.RecordAsync(uow, answer.ToHttp(), ct)) // a request with the same key was first: rolled back, the filter replays its answer
                    return (Refuse(Problems.Conflict("idempotency_replayed", "Requête déjà traitée", "La même requête a déjà été traitée.")), outcome);
                await uow.CommitAsync(ct);
                return (answer, outcome);
            }
            if (outcome is BookOutcome.Booked or BookOutcome.Joined) await uow.CommitAsync(ct); // nothing to do if committed already
            return (null, outcome);
        }
    }

    static async Task<BookingResult> ResultAsync(BookOutcome outcome, Func<long, Task<AppointmentResponse?>> readBack) => outcome switch
    {
        BookOutcome.Booked booked => new BookingResult.Booked(booked.Answer ?? (await readBack(booked.AppointmentId))!),
        BookOutcome.Joined(var id) => new BookingResult.Joined((await readBack(id))!),
        BookOutcome.UnknownHolds(var ids) => Refuse(Problems.Field("holdIds", $"Réservations inconnues pour ce lecteur : {string.Join(", ", ids)}.")),
        BookOutcome.Refused(var code, var title, var detail) => Refuse(Problems.Conflict(code, title, detail)),
        _ => throw new InvalidOperationException($"Unknown outcome {outcome}"),
    };

    /// <summary>Why a requested start is not a bookable slot, most specific reason first (a move says the same).</summary>
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

    static BookingResult.Refused Refuse(ProblemHttpResult problem) => new(problem);
}
