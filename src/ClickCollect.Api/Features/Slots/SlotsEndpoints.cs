using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Slots;

internal sealed record SlotResponse(DateTimeOffset Start, DateTimeOffset End, int Capacity, int Booked, int Remaining, int? MaxItems);

internal static class SlotsEndpoints
{
    public static void AddSlots(this IServiceCollection services)
    {
        services.AddSingleton<SlotStore>();
        services.AddSingleton<SlotWindows>();
        services.AddSingleton<SlotPlacesCache>();
        services.AddHostedService<SlotPlacesListener>();
        services.AddSingleton<SlotPlacesNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<SlotPlacesNotifier>());
        services.AddSingleton<IValidator<OpeningRequest>, OpeningRequestValidator>();
        services.AddSingleton<IValidator<ClosureRequest>, ClosureRequestValidator>();
    }

    public static void MapSlots(this IEndpointRouteBuilder api)
    {
        var points = api.MapGroup("/pickup-points/{id:long}").WithTags("Slots");
        points.MapGet("/slots", Slots).WithName("ListSlots")
            .WithSummary("Bookable slots (from now + lead time to the horizon) with places left; from/to are local dates")
            .AllowAnonymous().ProducesProblem(StatusCodes.Status404NotFound);
        points.MapGet("/opening", Opening).WithName("GetOpening").WithSummary("Opening windows, settings and closures")
            .AllowAnonymous().ProducesProblem(StatusCodes.Status404NotFound);
        points.MapPut("/opening", SaveOpening).WithName("SaveOpening").WithSummary("Replace the opening windows and settings")
            .RequireAuthorization(Policies.Director).WithValidation<OpeningRequest>().ProducesProblem(StatusCodes.Status404NotFound);
        points.MapPost("/closures", AddClosure).WithName("AddClosure").WithSummary("Close the pickup point on a date or a range of dates")
            .RequireAuthorization(Policies.Director).WithValidation<ClosureRequest>().ProducesProblem(StatusCodes.Status404NotFound);
        points.MapDelete("/closures/{closureId:long}", DeleteClosure).WithName("DeleteClosure").WithSummary("Remove a closure")
            .RequireAuthorization(Policies.Director).ProducesProblem(StatusCodes.Status404NotFound);
    }

    static async Task<Results<PreparedJson<List<SlotResponse>>, ProblemHttpResult>> Slots(long id, DateOnly? from, DateOnly? to,
        SlotStore store, LockdownStore lockdowns, SlotWindows windows, TimeProvider clock, CancellationToken ct)
    {
        if (from is { } f && to is { } t && t < f) return Problems.Field("to", "La date de fin précède la date de début.");
        var calendar = await store.LoadAsync(id, ct);
        if (calendar is null) return Problems.NotFound("Le point de retrait", id);
        var now = clock.GetUtcNow();
        var (first, end) = calendar.BookableDates(now, from, to);
        // A lockdown's cap shows as the slot's capacity (issue 5); bookings above it are kept and counted.
        var window = windows.For(calendar, await lockdowns.PeriodsForPickupPointAsync(id, ct), first, end);
        var bookable = window.Bookable(now);
        var booked = bookable.Count == 0 ? new Dictionary<DateTimeOffset, int>()
            : await store.BookedAsync(id, window.Slots[bookable[0]].Start, window.Slots[bookable[^1]].End, ct);
        return new PreparedJson<List<SlotResponse>>(window.Json(bookable, booked));
    }

    static async Task<Results<Ok<OpeningResponse>, ProblemHttpResult>> Opening(long id, SlotStore store, CancellationToken ct) =>
        await store.LoadAsync(id, ct) is { } c
            ? TypedResults.Ok(new OpeningResponse(id, (int)c.LeadTime.TotalMinutes, c.HorizonDays, c.PickupOpenDays,
                c.StopSlotMinutes, c.StopSlotCapacity, c.Weekly, c.Closures))
            : Problems.NotFound("Le point de retrait", id);

    static async Task<Results<Ok<OpeningResponse>, ProblemHttpResult>> SaveOpening(long id, OpeningRequest request, CurrentUser user,
        SlotStore store, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        if ((await Opening(id, store, ct)).Result is not Ok<OpeningResponse> { Value: { } before }) return Problems.NotFound("Le point de retrait", id);
        await audit.ChangeAsync(db, user, "opening.replaced", "pickupPoint", id, before with { Closures = [] }, request,
            uow => store.SaveOpeningAsync(uow, id, request, ct), n => n > 0, clock.GetUtcNow(), ct);
        return await Opening(id, store, ct);
    }

    static async Task<Results<Created<ClosureResponse>, ProblemHttpResult>> AddClosure(long id, ClosureRequest request, CurrentUser user,
        SlotStore store, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        var closureId = await audit.ChangeAsync(db, user, "closure.added", "pickupPoint", id, null, request,
            uow => store.AddClosureAsync(uow, id, request, ct), c => c is not null, clock.GetUtcNow(), ct);
        return closureId is null
            ? Problems.NotFound("Le point de retrait", id)
            : TypedResults.Created($"/api/pickup-points/{id}/opening", new ClosureResponse(closureId.Value, request.StartsOn, request.EndsOn, request.Reason ?? ""));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteClosure(long id, long closureId, CurrentUser user,
        SlotStore store, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        var before = (await store.LoadAsync(id, ct))?.Closures.FirstOrDefault(c => c.Id == closureId);
        return await audit.ChangeAsync(db, user, "closure.removed", "pickupPoint", id, before, null,
                uow => store.DeleteClosureAsync(uow, id, closureId, ct), n => n > 0, clock.GetUtcNow(), ct) == 0
            ? Problems.NotFound("La fermeture", closureId)
            : TypedResults.NoContent();
    }
}
