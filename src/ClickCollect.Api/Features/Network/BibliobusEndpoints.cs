using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Network;

internal static class BibliobusEndpoints
{
    public static void MapBibliobuses(this IEndpointRouteBuilder api)
    {
        var network = api.MapGroup("/").WithTags("Network");
        network.MapGet("/bibliobuses", List).WithName("ListBibliobuses")
            .WithSummary("Bibliobuses with routes, stops in route order, weekly visits and date exceptions").AllowAnonymous();
        network.MapPost("/bibliobuses", Create).WithName("CreateBibliobus").WithSummary("Add a bibliobus to a home branch")
            .RequireAuthorization(Policies.Director).WithValidation<BibliobusRequest>();
        network.MapPut("/bibliobuses/{id:long}", Update).WithName("UpdateBibliobus").WithSummary("Edit a bibliobus")
            .RequireAuthorization(Policies.Director).WithValidation<BibliobusRequest>().ProducesProblem(StatusCodes.Status404NotFound);
        network.MapPost("/bibliobuses/{id:long}/routes", CreateRoute).WithName("CreateRoute").WithSummary("Add a route to a bibliobus")
            .RequireAuthorization(Policies.Director).WithValidation<RouteRequest>().ProducesProblem(StatusCodes.Status404NotFound);
        network.MapPut("/routes/{id:long}", UpdateRoute).WithName("UpdateRoute").WithSummary("Rename a route")
            .RequireAuthorization(Policies.Director).WithValidation<RouteRequest>().ProducesProblem(StatusCodes.Status404NotFound);
        network.MapPost("/routes/{id:long}/stops", CreateStop).WithName("CreateStop")
            .WithSummary("Add a stop (with its weekly visits and its pickup point) to a route")
            .RequireAuthorization(Policies.Director).WithValidation<StopRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        network.MapPut("/stops/{id:long}", UpdateStop).WithName("UpdateStop").WithSummary("Edit a stop; a given schedule replaces the old one")
            .RequireAuthorization(Policies.Director).WithValidation<StopRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        network.MapPut("/stops/{id:long}/exceptions", SetException).WithName("SetStopException")
            .WithSummary("Cancel or change the visit of one date").RequireAuthorization(Policies.Director)
            .WithValidation<StopException>().ProducesProblem(StatusCodes.Status404NotFound);
        network.MapDelete("/stops/{id:long}/exceptions/{date}", DeleteException).WithName("DeleteStopException")
            .WithSummary("Back to the weekly schedule on that date").RequireAuthorization(Policies.Director)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    static async Task<Ok<IReadOnlyList<BibliobusResponse>>> List(BibliobusStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct));

    static async Task<Results<Created<BibliobusResponse>, ProblemHttpResult>> Create(BibliobusRequest request, CurrentUser user,
        BibliobusStore store, BranchStore branches, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (!await branches.ExistsAsync(request.HomeBranchId, ct)) return UnknownBranch(request.HomeBranchId);
        var id = await audit.ChangeAsync(db, user, "bibliobus.created", "bibliobus", null, null, request,
            uow => store.CreateAsync(uow, request, ct), _ => true, clock.GetUtcNow(), ct, id => id);
        return TypedResults.Created($"/api/bibliobuses/{id}", (await store.ListAsync(ct)).Single(b => b.Id == id));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Update(long id, BibliobusRequest request, CurrentUser user,
        BibliobusStore store, BranchStore branches, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (!await branches.ExistsAsync(request.HomeBranchId, ct)) return UnknownBranch(request.HomeBranchId);
        var before = (await store.ListAsync(ct)).FirstOrDefault(b => b.Id == id);
        return await audit.ChangeAsync(db, user, "bibliobus.updated", "bibliobus", id, before is null ? null : new { before.HomeBranchId, before.Name },
                request, uow => store.UpdateAsync(uow, id, request, ct), n => n > 0, clock.GetUtcNow(), ct) == 0
            ? Problems.NotFound("Le bibliobus", id)
            : TypedResults.NoContent();
    }

    static async Task<Results<Created<RouteResponse>, ProblemHttpResult>> CreateRoute(long id, RouteRequest request, CurrentUser user,
        BibliobusStore store, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        var routeId = await audit.ChangeAsync(db, user, "route.created", "route", null, null, new { BibliobusId = id, request.Name },
            uow => store.CreateRouteAsync(uow, id, request.Name, ct), r => r is not null, clock.GetUtcNow(), ct, r => r);
        return routeId is null
            ? Problems.NotFound("Le bibliobus", id)
            : TypedResults.Created($"/api/bibliobuses/{id}", new RouteResponse(routeId.Value, id, request.Name, []));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> UpdateRoute(long id, RouteRequest request, CurrentUser user,
        BibliobusStore store, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        var before = (await store.ListAsync(ct)).SelectMany(b => b.Routes).FirstOrDefault(r => r.Id == id);
        return await audit.ChangeAsync(db, user, "route.renamed", "route", id, before is null ? null : new { before.Name }, request,
                uow => store.UpdateRouteAsync(uow, id, request.Name, ct), n => n > 0, clock.GetUtcNow(), ct) == 0
            ? Problems.NotFound("La tournée", id)
            : TypedResults.NoContent();
    }

    static async Task<Results<Created<StopResponse>, ProblemHttpResult>> CreateStop(long id, StopRequest request, CurrentUser user,
        BibliobusStore store, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await audit.ChangeAsync(db, user, "stop.created", "stop", null, null, new { RouteId = id, Stop = request },
            uow => store.CreateStopAsync(uow, id, request, $"Bibliobus – {request.Name}", ct),
            o => o is BibliobusStore.StopOutcome.Saved, clock.GetUtcNow(), ct, o => (o as BibliobusStore.StopOutcome.Saved)?.StopId);
        return outcome switch
        {
            BibliobusStore.StopOutcome.Saved(var stopId) => TypedResults.Created($"/api/bibliobuses", (await store.GetStopAsync(stopId, ct))!),
            BibliobusStore.StopOutcome.PositionTaken => PositionTaken(request.Position),
            _ => Problems.NotFound("La tournée", id),
        };
    }

    static async Task<Results<Ok<StopResponse>, ProblemHttpResult>> UpdateStop(long id, StopRequest request, CurrentUser user,
        BibliobusStore store, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        var before = await store.GetStopAsync(id, ct);
        var outcome = await audit.ChangeAsync(db, user, "stop.updated", "stop", id, before, request,
            uow => store.UpdateStopAsync(uow, id, request, ct), o => o is BibliobusStore.StopOutcome.Saved, clock.GetUtcNow(), ct);
        return outcome switch
        {
            BibliobusStore.StopOutcome.Saved => TypedResults.Ok((await store.GetStopAsync(id, ct))!),
            BibliobusStore.StopOutcome.PositionTaken => PositionTaken(request.Position),
            _ => Problems.NotFound("L'arrêt", id),
        };
    }

    static async Task<Results<Ok<StopResponse>, ProblemHttpResult>> SetException(long id, StopException request, CurrentUser user,
        BibliobusStore store, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        var before = (await store.GetStopAsync(id, ct))?.Exceptions.FirstOrDefault(e => e.Date == request.Date);
        return await audit.ChangeAsync(db, user, "stop.exceptionSet", "stop", id, before, request,
                uow => store.SetExceptionAsync(uow, id, request, ct), n => n > 0, clock.GetUtcNow(), ct) == 0
            ? Problems.NotFound("L'arrêt", id)
            : TypedResults.Ok((await store.GetStopAsync(id, ct))!);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteException(long id, DateOnly date, CurrentUser user,
        BibliobusStore store, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        var before = (await store.GetStopAsync(id, ct))?.Exceptions.FirstOrDefault(e => e.Date == date);
        return await audit.ChangeAsync(db, user, "stop.exceptionRemoved", "stop", id, before, null,
                uow => store.DeleteExceptionAsync(uow, id, date, ct), n => n > 0, clock.GetUtcNow(), ct) == 0
            ? Problems.NotFound("L'exception du", date)
            : TypedResults.NoContent();
    }

    static ProblemHttpResult UnknownBranch(long id) => Problems.Field("homeBranchId", $"La bibliothèque {id} n'existe pas.");

    static ProblemHttpResult PositionTaken(int position) =>
        Problems.Create(StatusCodes.Status409Conflict, "stop_position_taken", "Position déjà occupée",
            $"Un autre arrêt de la tournée est déjà en position {position}.");
}
