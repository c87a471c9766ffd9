using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Lockdowns;

internal static class LockdownsEndpoints
{
    public static void AddLockdowns(this IServiceCollection services)
    {
        DapperSetup.AddEnum<LockdownStatus>();
        services.AddSingleton<LockdownStore>();
        services.AddSingleton<LockdownEffectsStore>();
        services.AddSingleton<ChangeLockdown>();
        services.AddSingleton<Notifications.ISmsSuspension, LockdownSmsSuspension>();
        services.AddSingleton<IValidator<LockdownRequest>, LockdownRequestValidator>();
        services.AddSingleton<IValidator<EndLockdownRequest>, EndLockdownRequestValidator>();
    }

    public static void MapLockdowns(this IEndpointRouteBuilder api)
    {
        var lockdowns = api.MapGroup("/lockdowns").WithTags("Lockdowns");
        lockdowns.MapGet("/", List).WithName("ListLockdowns").WithSummary("Lockdowns, newest first; cancelled ones too with includeCancelled=true")
            .RequireAuthorization(Policies.Staff);
        lockdowns.MapGet("/current", Current).WithName("CurrentLockdowns").WithSummary("Lockdowns in force today (the patron pages' banner)")
            .AllowAnonymous();
        lockdowns.MapGet("/{id:long}", Get).WithName("GetLockdown").WithSummary("One lockdown").RequireAuthorization(Policies.Staff)
            .ProducesProblem(StatusCodes.Status404NotFound);
        lockdowns.MapGet("/{id:long}/audit", Audit).WithName("LockdownAudit").WithSummary("Who changed the lockdown, when, and what it did")
            .RequireAuthorization(Policies.Director);

        lockdowns.MapPost("/", Create).WithName("CreateLockdown")
            .WithSummary("Declare a lockdown (network-wide or some branches, dated or open-ended, may start in the past); its effects apply at once")
            .RequireAuthorization(Policies.Director).WithValidation<LockdownRequest>().WithIdempotency<LockdownRequest>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        lockdowns.MapPost("/preview", PreviewCreate).WithName("PreviewLockdown").WithSummary("What declaring this lockdown would do, nothing written")
            .RequireAuthorization(Policies.Director).WithValidation<LockdownRequest>().ProducesProblem(StatusCodes.Status400BadRequest);
        lockdowns.MapPut("/{id:long}", Update).WithName("UpdateLockdown").WithSummary("Move a lockdown's dates or change its scope and effects; effects are recomputed")
            .RequireAuthorization(Policies.Director).WithValidation<LockdownRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        lockdowns.MapPost("/{id:long}/preview", PreviewUpdate).WithName("PreviewUpdateLockdown").WithSummary("What the change would do, nothing written")
            .RequireAuthorization(Policies.Director).WithValidation<LockdownRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        lockdowns.MapPost("/{id:long}/end", End).WithName("EndLockdown").WithSummary("End a lockdown on endsOn (inclusive); due dates held by it get their new date")
            .RequireAuthorization(Policies.Director).WithValidation<EndLockdownRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        lockdowns.MapPost("/{id:long}/end/preview", PreviewEnd).WithName("PreviewEndLockdown").WithSummary("What ending it would do, nothing written")
            .RequireAuthorization(Policies.Director).WithValidation<EndLockdownRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        lockdowns.MapPost("/{id:long}/cancel", Cancel).WithName("CancelLockdown").WithSummary("Cancel a lockdown: every effect is rolled back (it stays in the history)")
            .RequireAuthorization(Policies.Director).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        lockdowns.MapPost("/{id:long}/cancel/preview", PreviewCancel).WithName("PreviewCancelLockdown").WithSummary("What cancelling it would do, nothing written")
            .RequireAuthorization(Policies.Director).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    static async Task<Ok<IReadOnlyList<LockdownResponse>>> List(bool? includeCancelled, LockdownStore store, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(includeCancelled ?? false, clock.GetUtcNow(), ct));

    static async Task<Ok<List<CurrentLockdownResponse>>> Current(LockdownStore store, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(false, clock.GetUtcNow(), ct))
            .Where(l => l.State == LockdownState.InForce)
            .Select(l => new CurrentLockdownResponse(l.Id, l.NetworkWide, l.BranchNames, l.StartsOn, l.EndsOn, l.SuspendFines, l.SuspendReminders,
                l.ShiftDueDatesDays is not null, l.ExtendPickupDeadlines, l.SlotCapacityCap))
            .ToList());

    static async Task<Results<Ok<LockdownResponse>, ProblemHttpResult>> Get(long id, LockdownStore store, TimeProvider clock, CancellationToken ct) =>
        await store.GetAsync(id, clock.GetUtcNow(), ct) is { } lockdown ? TypedResults.Ok(lockdown) : Problems.NotFound("Le confinement", id);

    // #14: an unknown lockdown is a 404, not an empty history.
    static async Task<Results<Ok<IReadOnlyList<AuditEntry>>, ProblemHttpResult>> Audit(long id, AuditStore audit, LockdownStore store,
        TimeProvider clock, CancellationToken ct) =>
        await store.GetAsync(id, clock.GetUtcNow(), ct) is null
            ? Problems.NotFound("Le confinement", id)
            : TypedResults.Ok(await audit.ListAsync("lockdown", id, 500, ct));

    static async Task<Results<Created<LockdownChangeResponse>, ProblemHttpResult>> Create(
        LockdownRequest request, CurrentUser user, ChangeLockdown change, CancellationToken ct) =>
        await change.RunAsync(new LockdownChange.Create(request), user, apply: true, ct) switch
        {
            LockdownChangeOutcome.Applied(var done) => TypedResults.Created($"/api/lockdowns/{done.Lockdown.Id}", done),
            var other => Refusal(other),
        };

    static Task<Results<Ok<LockdownPreviewResponse>, ProblemHttpResult>> PreviewCreate(
        LockdownRequest request, CurrentUser user, ChangeLockdown change, CancellationToken ct) =>
        PreviewAsync(change, new LockdownChange.Create(request), user, ct);

    static Task<Results<Ok<LockdownChangeResponse>, ProblemHttpResult>> Update(
        long id, LockdownRequest request, CurrentUser user, ChangeLockdown change, CancellationToken ct) =>
        ApplyAsync(change, new LockdownChange.Update(id, request), user, ct);

    static Task<Results<Ok<LockdownPreviewResponse>, ProblemHttpResult>> PreviewUpdate(
        long id, LockdownRequest request, CurrentUser user, ChangeLockdown change, CancellationToken ct) =>
        PreviewAsync(change, new LockdownChange.Update(id, request), user, ct);

    static Task<Results<Ok<LockdownChangeResponse>, ProblemHttpResult>> End(
        long id, EndLockdownRequest request, CurrentUser user, ChangeLockdown change, CancellationToken ct) =>
        ApplyAsync(change, new LockdownChange.End(id, request.EndsOn), user, ct);

    static Task<Results<Ok<LockdownPreviewResponse>, ProblemHttpResult>> PreviewEnd(
        long id, EndLockdownRequest request, CurrentUser user, ChangeLockdown change, CancellationToken ct) =>
        PreviewAsync(change, new LockdownChange.End(id, request.EndsOn), user, ct);

    static Task<Results<Ok<LockdownChangeResponse>, ProblemHttpResult>> Cancel(long id, CurrentUser user, ChangeLockdown change, CancellationToken ct) =>
        ApplyAsync(change, new LockdownChange.Cancel(id), user, ct);

    static Task<Results<Ok<LockdownPreviewResponse>, ProblemHttpResult>> PreviewCancel(long id, CurrentUser user, ChangeLockdown change, CancellationToken ct) =>
        PreviewAsync(change, new LockdownChange.Cancel(id), user, ct);

    static async Task<Results<Ok<LockdownChangeResponse>, ProblemHttpResult>> ApplyAsync(
        ChangeLockdown change, LockdownChange what, CurrentUser user, CancellationToken ct) =>
        await change.RunAsync(what, user, apply: true, ct) switch
        {
            LockdownChangeOutcome.Applied(var done) => TypedResults.Ok(done),
            var other => Refusal(other),
        };

    static async Task<Results<Ok<LockdownPreviewResponse>, ProblemHttpResult>> PreviewAsync(
        ChangeLockdown change, LockdownChange what, CurrentUser user, CancellationToken ct) =>
        await change.RunAsync(what, user, apply: false, ct) switch
        {
            LockdownChangeOutcome.Previewed(var effects) => TypedResults.Ok(new LockdownPreviewResponse(effects)),
            var other => Refusal(other),
        };

    static ProblemHttpResult Refusal(LockdownChangeOutcome outcome) => outcome is LockdownChangeOutcome.Refused(var problem)
        ? problem
        : throw new InvalidOperationException($"Unexpected outcome {outcome}");
}
