using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Network;

internal static class PickupPointsEndpoints
{
    public static void MapPickupPoints(this IEndpointRouteBuilder api)
    {
        var points = api.MapGroup("/pickup-points").WithTags("Pickup points");
        points.MapGet("/", List).WithName("ListPickupPoints")
            .WithSummary("Where patrons can collect: counters and bibliobus stops (inactive ones too for staff with ?all=true)")
            .AllowAnonymous();
        points.MapGet("/{id:long}", Get).WithName("GetPickupPoint").WithSummary("A pickup point").AllowAnonymous()
            .ProducesProblem(StatusCodes.Status404NotFound);
        points.MapPut("/{id:long}", Update).WithName("UpdatePickupPoint").WithSummary("Rename, open or close a pickup point")
            .RequireAuthorization(Policies.Director).WithValidation<PickupPointRequest>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    static async Task<Ok<List<PickupPointResponse>>> List(bool? all, HttpContext http, PickupPointStore store, CancellationToken ct)
    {
        var includeInactive = all == true && CurrentUser.From(http.User)?.IsStaff == true;
        return TypedResults.Ok((await store.ListAsync(includeInactive, ct)).Select(p => p.ToResponse()).ToList());
    }

    static async Task<Results<Ok<PickupPointResponse>, ProblemHttpResult>> Get(long id, PickupPointStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } point ? TypedResults.Ok(point.ToResponse()) : Problems.NotFound("Le point de retrait", id);

    static async Task<Results<Ok<PickupPointResponse>, ProblemHttpResult>> Update(long id, PickupPointRequest request, CurrentUser user,
        PickupPointStore store, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } before) return Problems.NotFound("Le point de retrait", id);
        await audit.ChangeAsync(db, user, "pickupPoint.updated", "pickupPoint", id, new { before.Name, before.Active }, request,
            uow => store.UpdateAsync(uow, id, request, ct), n => n > 0, clock.GetUtcNow(), ct);
        return TypedResults.Ok((await store.GetAsync(id, ct))!.ToResponse());
    }
}
