using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Ils;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Holds;

internal static class HoldsEndpoints
{
    public static void AddHolds(this IServiceCollection services)
    {
        DapperSetup.AddEnum<HoldStatus>();
        DapperSetup.AddEnum<HoldChannel>();
        services.AddOptions<HoldOptions>().BindConfiguration(HoldOptions.Section)
            .Validate(o => o.MaxActivePerPatron > 0, "Holds:MaxActivePerPatron must be positive.").ValidateOnStart();
        services.AddSingleton<HoldAllocator>();
        services.AddSingleton<HoldStore>();
        services.AddSingleton<IValidator<PlaceHoldRequest>, PlaceHoldRequestValidator>();
        services.AddHostedService<HoldExpiryWorker>();
        services.AddSingleton<PatronResolver>();
    }

    public static void MapHolds(this IEndpointRouteBuilder api)
    {
        var holds = api.MapGroup("/holds").WithTags("Holds");
        holds.MapPost("/", Place).WithName("PlaceHold").WithSummary("Reserve a title or a copy (patron; staff for a phone hold with patronCardNumber)")
            .RequireAuthorization(Policies.PatronOrStaff).WithValidation<PlaceHoldRequest>().WithIdempotency<PlaceHoldRequest>()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        holds.MapGet("/", List).WithName("ListHolds").WithSummary("Patron: their holds. Staff: filter by status, pickup point, card")
            .RequireAuthorization(Policies.PatronOrStaff);
        holds.MapGet("/{id:long}", Get).WithName("GetHold").WithSummary("One hold").RequireAuthorization(Policies.PatronOrStaff)
            .ProducesProblem(StatusCodes.Status404NotFound);
        holds.MapDelete("/{id:long}", Cancel).WithName("CancelHold").WithSummary("Cancel a hold (it is kept, marked cancelled)")
            .RequireAuthorization(Policies.PatronOrStaff).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        holds.MapPost("/{id:long}/received", Receive).WithName("ReceiveHold").WithSummary("The copy from another branch has arrived")
            .RequireAuthorization(Policies.Staff).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        holds.MapPost("/{id:long}/ready", MarkReady).WithName("MarkHoldReady").WithSummary("Picked and staged: ready for the patron")
            .RequireAuthorization(Policies.Staff).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    static async Task<Results<Created<HoldResponse>, ProblemHttpResult>> Place(
        PlaceHoldRequest request, CurrentUser user, PatronResolver patrons, PickupPointStore points, HoldStore holds, IlsItemCheck ilsItems, Db db,
        IOptions<HoldOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var patron = await patrons.ResolveAsync(user, request.PatronCardNumber, ct);
        if (patron.Problem is { } refused) return refused;
        if (patron.Row!.BlockedReason is { } reason)
            return Problems.Conflict("patron_blocked", "Carte bloquée", reason);
        if (await points.GetAsync(request.PickupPointId, ct) is not { Active: true })
            return Problems.Field("pickupPointId", $"Le point de retrait {request.PickupPointId} n'existe pas ou est fermé.");

        await ilsItems.CheckAsync(request.TitleId, request.CopyId, request.PickupPointId, ct); // Ils:Provider=sip2: skip what it has lent
        var hold = new NewHold(patron.Row.Id, request.TitleId, request.CopyId, request.PickupPointId,
            user.IsStaff ? HoldChannel.Phone : HoldChannel.Web, user.IsStaff ? user.Id : null, clock.GetUtcNow());
        // The unit of work is closed before the answer is read back: holding its connection while
        // asking the pool for another starves the pool when many requests wait on the same lock.
        PlaceHoldOutcome outcome;
        await using (var uow = await db.WriteAsync(ct))
        {
            outcome = await holds.PlaceAsync(uow, hold, options.Value.MaxActivePerPatron, ct);
            if (outcome is PlaceHoldOutcome.Placed) await uow.CommitAsync(ct);
        }
        if (outcome is not PlaceHoldOutcome.Placed placed)
        {
            return outcome switch
            {
                PlaceHoldOutcome.UnknownTitle => Problems.Field("titleId", $"Le titre {request.TitleId} n'existe pas."),
                PlaceHoldOutcome.UnknownCopy => Problems.Field("copyId", $"L'exemplaire {request.CopyId} n'existe pas ou n'est plus prêtable."),
                PlaceHoldOutcome.AlreadyHeld(var id) => Problems.Conflict("already_held", "Déjà réservé",
                    $"Ce titre est déjà dans vos réservations (réservation {id})."),
                PlaceHoldOutcome.LimitReached(var max) => Problems.Conflict("hold_limit", "Limite de réservations atteinte",
                    $"{max} réservations en cours au plus."),
                _ => throw new InvalidOperationException($"Unexpected outcome {outcome}"),
            };
        }
        return TypedResults.Created($"/api/holds/{placed.HoldId}", (await holds.GetAsync(placed.HoldId, ct))!.ToResponse());
    }

    static async Task<Results<Ok<List<HoldResponse>>, ProblemHttpResult>> List(
        string? status, long? pickupPointId, string? patronCardNumber, CurrentUser user, PatronStore patrons, HoldStore holds, CancellationToken ct)
    {
        // Read by hand: minimal APIs match enum names case-sensitively ("Ready"), the API speaks camelCase ("ready").
        HoldStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!EnumText<HoldStatus>.TryParse(status, out var parsed))
                return Problems.Field("status", $"Statut attendu : {string.Join(", ", EnumText<HoldStatus>.Names)}.");
            wanted = parsed;
        }
        long? patronId = user.IsPatron ? user.Id : null;
        if (user.IsStaff && !string.IsNullOrWhiteSpace(patronCardNumber))
        {
            if (await patrons.FindByCardAsync(patronCardNumber, ct) is not { } patron)
                return Problems.Field("patronCardNumber", $"La carte {patronCardNumber} n'existe pas.");
            patronId = patron.Id;
        }
        var rows = await holds.ListAsync(new HoldFilter(patronId, wanted, user.IsStaff ? pickupPointId : null), ct);
        return TypedResults.Ok(rows.Select(r => r.ToResponse()).ToList());
    }

    static async Task<Results<Ok<HoldResponse>, ProblemHttpResult>> Get(long id, CurrentUser user, HoldStore holds, CancellationToken ct) =>
        await holds.GetAsync(id, ct) is { } hold && (user.IsStaff || hold.PatronId == user.Id)
            ? TypedResults.Ok(hold.ToResponse())
            : Problems.NotFound("La réservation", id);

    static async Task<Results<Ok<HoldResponse>, ProblemHttpResult>> Cancel(
        long id, CurrentUser user, HoldStore holds, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await holds.GetAsync(id, ct) is not { } hold || (!user.IsStaff && hold.PatronId != user.Id))
            return Problems.NotFound("La réservation", id);
        if (!await db.WriteAsync(uow => holds.CloseAsync(uow, id, HoldStatus.Cancelled, user.IsPatron ? CancelledBy.Patron : CancelledBy.Staff, clock.GetUtcNow(), ct), ct))
            return Problems.Conflict("hold_not_active", "Réservation terminée", $"La réservation est déjà « {hold.Status} ».");
        return TypedResults.Ok((await holds.GetAsync(id, ct))!.ToResponse());
    }

    static async Task<Results<Ok<HoldResponse>, ProblemHttpResult>> Receive(long id, HoldStore holds, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await holds.GetAsync(id, ct) is not { } hold) return Problems.NotFound("La réservation", id);
        if (!await db.WriteAsync(uow => holds.ReceiveAsync(uow, id, clock.GetUtcNow(), ct), ct))
            return Problems.Conflict("hold_not_in_transit", "Pas en transit", $"La réservation est « {hold.Status} ».");
        return TypedResults.Ok((await holds.GetAsync(id, ct))!.ToResponse());
    }

    static async Task<Results<Ok<HoldResponse>, ProblemHttpResult>> MarkReady(
        long id, HoldStore holds, SlotStore slots, LockdownEffectsStore lockdowns, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await holds.GetAsync(id, ct) is not { } hold) return Problems.NotFound("La réservation", id);
        var calendar = (await slots.LoadAsync(hold.PickupPointId, ct))!;
        var now = clock.GetUtcNow();
        if (calendar.PickupDeadline(calendar.Today(now)) is not { } deadline)
            return Problems.Conflict("pickup_point_never_open", "Point de retrait sans ouverture", "Aucune ouverture prévue dans l'année.");
        var ready = await db.WriteAsync(async uow =>
        {
            // Lending lock first (LockKeys order): a lockdown change may be waiting to update this very hold.
            await uow.LockSharedAsync(LockKeys.Lending, ct);
            if (!await holds.MarkReadyAsync(uow, id, deadline, now, ct)) return false;
            await lockdowns.ApplyToHoldAsync(uow, id, now, ct); // a lockdown in force extends the new deadline
            return true;
        }, ct);
        if (!ready)
            return Problems.Conflict("hold_not_to_pick", "Pas à préparer", $"La réservation est « {hold.Status} ».");
        return TypedResults.Ok((await holds.GetAsync(id, ct))!.ToResponse());
    }
}
