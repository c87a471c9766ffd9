using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Network;

internal static class BranchesEndpoints
{
    public static void MapBranches(this IEndpointRouteBuilder api)
    {
        var branches = api.MapGroup("/branches").WithTags("Network");
        branches.MapGet("/", List).WithName("ListBranches").WithSummary("Branches with their counters").AllowAnonymous();
        branches.MapGet("/{id:long}", Get).WithName("GetBranch").WithSummary("A branch with its counters").AllowAnonymous()
            .ProducesProblem(StatusCodes.Status404NotFound);
        branches.MapPost("/", Create).WithName("CreateBranch").WithSummary("Create a branch")
            .RequireAuthorization(Policies.Director).WithValidation<BranchRequest>().ProducesProblem(StatusCodes.Status409Conflict);
        branches.MapPut("/{id:long}", Update).WithName("UpdateBranch").WithSummary("Edit a branch")
            .RequireAuthorization(Policies.Director).WithValidation<BranchRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        branches.MapPost("/{id:long}/counters", CreateCounter).WithName("CreateCounter")
            .WithSummary("Add a counter to a branch (with its pickup point)")
            .RequireAuthorization(Policies.Director).WithValidation<CounterRequest>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut("/counters/{id:long}", UpdateCounter).WithName("UpdateCounter").WithSummary("Rename a counter").WithTags("Network")
            .RequireAuthorization(Policies.Director).WithValidation<CounterRequest>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    static async Task<Ok<IReadOnlyList<BranchResponse>>> List(BranchStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(ct));

    static async Task<Results<Ok<BranchResponse>, ProblemHttpResult>> Get(long id, BranchStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } branch ? TypedResults.Ok(branch) : Problems.NotFound("La bibliothèque", id);

    static async Task<Results<Created<BranchResponse>, ProblemHttpResult>> Create(BranchRequest request, CurrentUser user, BranchStore store,
        AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        var id = await audit.ChangeAsync(db, user, "branch.created", "branch", null, null, request,
            uow => store.CreateAsync(uow, request, ct), id => id is not null, clock.GetUtcNow(), ct, id => id);
        if (id is null) return CodeTaken(request.Code);
        return TypedResults.Created($"/api/branches/{id}", (await store.GetAsync(id.Value, ct))!);
    }

    static async Task<Results<Ok<BranchResponse>, ProblemHttpResult>> Update(long id, BranchRequest request, CurrentUser user, BranchStore store,
        AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } before) return Problems.NotFound("La bibliothèque", id);
        if (await audit.ChangeAsync(db, user, "branch.updated", "branch", id, before with { Counters = [] }, request,
                uow => store.UpdateAsync(uow, id, request, ct), n => n > 0, clock.GetUtcNow(), ct) == 0)
            return CodeTaken(request.Code);
        return TypedResults.Ok((await store.GetAsync(id, ct))!);
    }

    static async Task<Results<Created<CounterResponse>, ProblemHttpResult>> CreateCounter(long id, CounterRequest request, CurrentUser user,
        BranchStore store, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        var counter = await audit.ChangeAsync(db, user, "counter.created", "counter", null, null, new { BranchId = id, request.Name },
            async uow => await store.NameAsync(uow, id, ct) is { } branchName
                ? await store.CreateCounterAsync(uow, id, request.Name, $"{branchName} – {request.Name}", ct)
                : null, c => c is not null, clock.GetUtcNow(), ct, c => c!.Id);
        return counter is null ? Problems.NotFound("La bibliothèque", id) : TypedResults.Created($"/api/branches/{id}", counter);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> UpdateCounter(long id, CounterRequest request, CurrentUser user, BranchStore store,
        AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        var before = (await store.ListAsync(ct)).SelectMany(b => b.Counters).FirstOrDefault(c => c.Id == id);
        return await audit.ChangeAsync(db, user, "counter.renamed", "counter", id, before is null ? null : new { before.Name }, request,
                uow => store.UpdateCounterAsync(uow, id, request.Name, ct), n => n > 0, clock.GetUtcNow(), ct) == 0
            ? Problems.NotFound("Le guichet", id)
            : TypedResults.NoContent();
    }

    static ProblemHttpResult CodeTaken(string code) =>
        Problems.Conflict("branch_code_taken", "Code déjà utilisé", $"Une autre bibliothèque a le code « {code} ».");
}
