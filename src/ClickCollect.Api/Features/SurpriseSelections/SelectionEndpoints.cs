using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>Surprise selections (DESIGN "Surprise selections", issue #7): readers' requests and the librarians' workbench.</summary>
internal static class SelectionEndpoints
{
    public static void AddSelections(this IServiceCollection services)
    {
        SelectionStore.RegisterEnums();
        services.AddOptions<SelectionOptions>().BindConfiguration(SelectionOptions.Section)
            .Validate(o => o.ClaimDuration > TimeSpan.Zero, "Selections:ClaimDuration must be positive.")
            .Validate(o => o.HistoryMonths >= 0, "Selections:HistoryMonths must not be negative.").ValidateOnStart();
        services.AddSingleton<SelectionStore>();
        services.AddSingleton<ProposalStore>();
        services.AddSingleton<SelectionWorkbench>();
        services.AddSingleton<IValidator<CreateSelectionRequest>, CreateSelectionRequestValidator>();
        services.AddSingleton<IValidator<ConfirmSelectionRequest>, ConfirmSelectionRequestValidator>();
        services.AddSingleton<IValidator<PinItemRequest>, PinItemRequestValidator>();
        services.AddSingleton<IValidator<RemoveItemRequest>, RemoveItemRequestValidator>();
        services.AddSingleton<IValidator<SwapItemRequest>, SwapItemRequestValidator>();
        services.AddSingleton<IValidator<SelectionNoteRequest>, SelectionNoteRequestValidator>();
    }

    public static void MapSelections(this IEndpointRouteBuilder api)
    {
        var requests = api.MapGroup("/selection-requests").WithTags("Surprise selections");
        requests.MapPost("/", Create).WithName("CreateSelectionRequest")
            .WithSummary("State tastes for a surprise selection (patron; staff by phone with patronCardNumber)")
            .RequireAuthorization(Policies.PatronOrStaff).WithValidation<CreateSelectionRequest>().WithIdempotency<CreateSelectionRequest>()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapGet("/", List).WithName("ListSelectionRequests")
            .WithSummary("Patron: their requests. Staff: the queue of a pickup point, oldest first (all=true: closed ones too)")
            .RequireAuthorization(Policies.PatronOrStaff).ProducesProblem(StatusCodes.Status400BadRequest);
        requests.MapGet("/{id:long}", Get).WithName("GetSelectionRequest")
            .WithSummary("The request in full, its bundle (staff) and the holds it became").RequireAuthorization(Policies.PatronOrStaff)
            .ProducesProblem(StatusCodes.Status404NotFound);
        requests.MapPost("/{id:long}/cancel", Cancel).WithName("CancelSelectionRequest")
            .WithSummary("Cancel a request not yet confirmed (it is kept, marked cancelled)").RequireAuthorization(Policies.PatronOrStaff)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        requests.MapPost("/{id:long}/claim", WorkbenchEndpoints.Claim).WithName("ClaimSelectionRequest")
            .WithSummary("Take the request to work on it (renewed by every action; lapses after Selections:ClaimDuration)")
            .RequireAuthorization(Policies.Librarian).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id:long}/release", WorkbenchEndpoints.Release).WithName("ReleaseSelectionRequest")
            .WithSummary("Give the request back to the queue; its bundle's copies are free again")
            .RequireAuthorization(Policies.Librarian).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id:long}/proposal", WorkbenchEndpoints.Propose).WithName("ProposeSelection")
            .WithSummary("Propose a bundle (again: another seed, pinned items kept); each item says why")
            .RequireAuthorization(Policies.Librarian).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id:long}/proposal/pin", WorkbenchEndpoints.Pin).WithName("PinSelectionItem")
            .WithSummary("Keep an item through the next proposals (pinned: false to stop)").RequireAuthorization(Policies.Librarian)
            .WithValidation<PinItemRequest>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id:long}/proposal/remove", WorkbenchEndpoints.Remove).WithName("RemoveSelectionItem")
            .WithSummary("Take an item out of the bundle; its title is not proposed to this request again").RequireAuthorization(Policies.Librarian)
            .WithValidation<RemoveItemRequest>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id:long}/proposal/swap", WorkbenchEndpoints.Swap).WithName("SwapSelectionItem")
            .WithSummary("Replace an item by a copy from the candidates search").RequireAuthorization(Policies.Librarian)
            .WithValidation<SwapItemRequest>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapGet("/{id:long}/candidates", WorkbenchEndpoints.Candidates).WithName("SearchSelectionCandidates")
            .WithSummary("Titles that can be available for this request (on a shelf, free, within its filters), explained; q= narrows by words")
            .RequireAuthorization(Policies.Librarian).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPut("/{id:long}/note", WorkbenchEndpoints.Note).WithName("SetSelectionNote")
            .WithSummary("The librarian's personal note to the patron, sent with the 'selection ready' message")
            .RequireAuthorization(Policies.Librarian).WithValidation<SelectionNoteRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        requests.MapPost("/{id:long}/confirm", ConfirmSelection.Handle).WithName("ConfirmSelection")
            .WithSummary("Place holds (channel selection) on the chosen copies, all or none; the patron is told")
            .RequireAuthorization(Policies.Librarian).WithValidation<ConfirmSelectionRequest>().WithIdempotency<ConfirmSelectionRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    static async Task<Results<Created<SelectionRequestResponse>, ProblemHttpResult>> Create(
        CreateSelectionRequest request, CurrentUser user, PatronResolver patrons, PickupPointStore points, SelectionStore store,
        SelectionWorkbench bench, Db db, TimeProvider clock, CancellationToken ct)
    {
        var patron = await patrons.ResolveAsync(user, request.PatronCardNumber, ct);
        if (patron.Problem is { } refused) return refused;
        if (patron.Row!.BlockedReason is { } reason) return Problems.Conflict("patron_blocked", "Carte bloquée", reason);
        if (await points.GetAsync(request.PickupPointId, ct) is not { Active: true })
            return Problems.Field("pickupPointId", $"Le point de retrait {request.PickupPointId} n'existe pas ou est fermé.");

        var now = clock.GetUtcNow();
        var selection = new NewSelection(patron.Row.Id, request, user.IsStaff ? SelectionChannel.Phone : SelectionChannel.Web,
            user.IsStaff ? user.Id : null, now);
        var id = await db.WriteAsync(uow => store.CreateAsync(uow, selection, ct), ct);
        var row = (await store.GetAsync(id, now, ct))!;
        return TypedResults.Created($"/api/selection-requests/{id}", await bench.DetailAsync(row, user.IsStaff, now, ct));
    }

    static async Task<Results<Ok<List<SelectionRequestResponse>>, ProblemHttpResult>> List(
        long? pickupPointId, string? patronCardNumber, bool? all, CurrentUser user, PatronStore patrons, SelectionStore store,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        SelectionFilter filter;
        if (user.IsPatron) filter = new SelectionFilter(PatronId: user.Id);
        else if (!string.IsNullOrWhiteSpace(patronCardNumber))
        {
            if (await patrons.FindByCardAsync(patronCardNumber.Trim(), ct) is not { } patron)
                return Problems.Field("patronCardNumber", $"La carte {patronCardNumber} n'existe pas.");
            filter = new SelectionFilter(PatronId: patron.Id, PickupPointId: pickupPointId, WaitingOnly: all != true);
        }
        else filter = new SelectionFilter(PickupPointId: pickupPointId, WaitingOnly: all != true);
        var rows = await store.ListAsync(filter, now, ct);
        return TypedResults.Ok(rows.Select(r => r.ToResponse(now, user.IsStaff)).ToList());
    }

    static async Task<Results<Ok<SelectionRequestResponse>, ProblemHttpResult>> Get(
        long id, CurrentUser user, SelectionStore store, SelectionWorkbench bench, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await store.GetAsync(id, now, ct) is not { } row || (!user.IsStaff && row.PatronId != user.Id))
            return Problems.NotFound("La demande de sélection", id);
        return TypedResults.Ok(await bench.DetailAsync(row, user.IsStaff, now, ct));
    }

    static async Task<Results<Ok<SelectionRequestResponse>, ProblemHttpResult>> Cancel(
        long id, CurrentUser user, SelectionStore store, SelectionWorkbench bench, Db db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await store.GetAsync(id, now, ct) is not { } row || (!user.IsStaff && row.PatronId != user.Id))
            return Problems.NotFound("La demande de sélection", id);
        if (!await db.WriteAsync(async uow =>
            {
                await uow.LockAsync(LockKeys.Selections, ct);
                return await store.CancelAsync(uow, id, now, ct);
            }, ct))
            return SelectionWorkbench.Closed((await store.GetAsync(id, now, ct))!);
        return TypedResults.Ok(await bench.DetailAsync((await store.GetAsync(id, now, ct))!, user.IsStaff, now, ct));
    }
}
