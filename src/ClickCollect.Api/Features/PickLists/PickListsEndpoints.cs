using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Ils;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Csv;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.PickLists;

internal sealed record ScanRequest(string Barcode);
internal sealed record PrintRequest(bool Public);
internal sealed record ShelfOrderRequest(IReadOnlyList<string> Locations);

internal sealed class ScanRequestValidator : AbstractValidator<ScanRequest>
{
    public ScanRequestValidator() => RuleFor(r => r.Barcode).NotEmpty().MaximumLength(40);
}

internal sealed class ShelfOrderRequestValidator : AbstractValidator<ShelfOrderRequest>
{
    public ShelfOrderRequestValidator()
    {
        RuleFor(r => r.Locations).NotNull().Must(l => l.Distinct(StringComparer.Ordinal).Count() == l.Count)
            .WithMessage("Un emplacement figure deux fois.");
        RuleForEach(r => r.Locations).NotEmpty().MaximumLength(100);
    }
}

internal static class PickListsEndpoints
{
    public static void AddPickLists(this IServiceCollection services)
    {
        services.AddSingleton<PickListStore>();
        services.AddSingleton<PickListService>();
        services.AddSingleton<IValidator<ScanRequest>, ScanRequestValidator>();
        services.AddSingleton<IValidator<ShelfOrderRequest>, ShelfOrderRequestValidator>();
    }

    public static void MapPickLists(this IEndpointRouteBuilder api)
    {
        var staff = api.MapGroup("/").WithTags("Counter").RequireAuthorization(Policies.Staff);
        staff.MapGet("/pick-lists/{pickupPointId:long}/{date}", PickList).WithName("GetPickList")
            .WithSummary("The day's copies to take off the shelves: JSON, ?format=pdf or ?format=csv (&dialect=excel for French spreadsheets); ?public=true prints initials")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/pick-lists/{pickupPointId:long}/{date}/prints", PrintPickList).WithName("RecordPickListPrint")
            .WithSummary("Record that the screen list was printed").ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/pick-lists/{pickupPointId:long}/{date}/picked", Scan).WithName("ScanPickedCopy")
            .WithSummary("A scanned barcode: the copy is picked and staged, its hold Ready").WithValidation<ScanRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapGet("/load-lists/{routeId:long}/{date}", LoadList).WithName("GetLoadList")
            .WithSummary("A bibliobus route day's holds to load, by stop in route order: JSON, ?format=pdf or ?format=csv (&dialect=excel for French spreadsheets)")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf").Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/load-lists/{routeId:long}/{date}/prints", PrintLoadList).WithName("RecordLoadListPrint")
            .WithSummary("Record that the screen load list was printed").ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/holds/{id:long}/not-found", NotFound).WithName("ReportCopyNotFound")
            .WithSummary("The copy is not on the shelf: marked lost, the hold gets another copy or the patron is told")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapPost("/holds/{id:long}/not-found/undo", UndoNotFound).WithName("UndoCopyNotFound")
            .WithSummary("Take back a \"not on the shelf\" report of the last 5 minutes: the copy is on the shelf again and the hold goes back to it")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapGet("/branches/{id:long}/shelf-order", ShelfOrder).WithName("GetShelfOrder").WithSummary("The order staff walk a branch's shelves");
        api.MapPut("/branches/{id:long}/shelf-order", SaveShelfOrder).WithName("SaveShelfOrder").WithSummary("Set the shelf walk order")
            .WithTags("Counter").RequireAuthorization(Policies.Director).WithValidation<ShelfOrderRequest>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    static async Task<Results<Ok<PickListResponse>, FileContentHttpResult, ProblemHttpResult>> PickList(
        long pickupPointId, DateOnly date, string? format, string? dialect, bool? @public, PickListService lists, CancellationToken ct) =>
        await lists.PickListAsync(pickupPointId, date, @public == true, ct) is { } list
            ? Render(list, format, dialect, pickupPointId)
            : Problems.NotFound("Le point de retrait", pickupPointId);

    static async Task<Results<Ok<PickListResponse>, FileContentHttpResult, ProblemHttpResult>> LoadList(
        long routeId, DateOnly date, string? format, string? dialect, bool? @public, PickListService lists, CancellationToken ct) =>
        await lists.LoadListAsync(routeId, date, @public == true, ct) is { } list
            ? Render(list, format, dialect, routeId)
            : Problems.NotFound("La tournée", routeId);

    /// <summary>
    /// JSON for the screen, or a PDF or CSV download. A download is not a printing (staff often download a
    /// list to look at it): only the print action records one (POST …/prints).
    /// </summary>
    static Results<Ok<PickListResponse>, FileContentHttpResult, ProblemHttpResult> Render(
        PickListResponse list, string? format, string? dialect, long placeId)
    {
        var name = $"{(list.Kind == PickListService.Pick ? "retrait" : "chargement")}-{placeId}-{list.Date:yyyy-MM-dd}";
        switch (format?.ToLowerInvariant())
        {
            case null or "" or "json":
                return TypedResults.Ok(list);
            case "pdf":
                return TypedResults.File(PickListPdf.Render(list), "application/pdf", $"{name}.pdf");
            case "csv":
                if (!CsvExport.TryParseDialect(dialect, out var csvDialect)) return Problems.Field("dialect", CsvExport.UnknownDialect);
                return TypedResults.File(PickListCsv.Render(list, csvDialect), CsvExport.ContentType, $"{name}.csv");
            default:
                return Problems.Field("format", "Format attendu : json, pdf ou csv.");
        }
    }

    static async Task<Results<NoContent, ProblemHttpResult>> PrintPickList(long pickupPointId, DateOnly date, PrintRequest? request,
        CurrentUser user, PickListService lists, PickListStore store, TimeProvider clock, CancellationToken ct) =>
        await RecordScreenPrint(await lists.PickListAsync(pickupPointId, date, request?.Public == true, ct), pickupPointId, user, store, clock, ct)
            ?? Problems.NotFound("Le point de retrait", pickupPointId);

    static async Task<Results<NoContent, ProblemHttpResult>> PrintLoadList(long routeId, DateOnly date, PrintRequest? request,
        CurrentUser user, PickListService lists, PickListStore store, TimeProvider clock, CancellationToken ct) =>
        await RecordScreenPrint(await lists.LoadListAsync(routeId, date, request?.Public == true, ct), routeId, user, store, clock, ct)
            ?? Problems.NotFound("La tournée", routeId);

    /// <summary>The screen list was printed with the browser: record it like a PDF. Null when there is no such list.</summary>
    static async Task<Results<NoContent, ProblemHttpResult>?> RecordScreenPrint(PickListResponse? list, long placeId, CurrentUser user,
        PickListStore store, TimeProvider clock, CancellationToken ct)
    {
        if (list is null) return null;
        await store.RecordPrintAsync(list.Kind, placeId, list.Date, user.Id, "screen", list.PublicVariant,
            list.Groups.SelectMany(g => g.Lines).Select(l => l.HoldId), clock.GetUtcNow(), ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// A barcode scanned at the counter (typed digits + Enter): the copy's hold is picked and staged,
    /// so it becomes Ready with its pickup deadline. A copy arriving from another branch is received
    /// and staged in one scan. Scanning twice is harmless.
    /// </summary>
    static async Task<Results<Ok<HoldResponse>, ProblemHttpResult>> Scan(long pickupPointId, DateOnly date, ScanRequest request,
        HoldStore holds, SlotStore slots, Db db, TimeProvider clock, CancellationToken ct)
    {
        var barcode = request.Barcode.Trim();
        if (await holds.FindByBarcodeAsync(pickupPointId, barcode, ct) is not { } holdId)
            return Problems.Create(StatusCodes.Status404NotFound, "barcode_not_on_list", "Exemplaire absent de la liste",
                $"Aucune réservation en cours n'attend l'exemplaire {barcode} à ce point de retrait.");
        var calendar = (await slots.LoadAsync(pickupPointId, ct))!;
        var now = clock.GetUtcNow();
        var deadline = calendar.PickupDeadline(calendar.Today(now)) ?? calendar.Today(now).AddDays(calendar.PickupOpenDays);
        await db.WriteAsync(async uow =>
        {
            await holds.ReceiveAsync(uow, holdId, now, ct); // no-op unless in transit
            return await holds.MarkReadyAsync(uow, holdId, deadline, now, ct);
        }, ct);
        return TypedResults.Ok((await holds.GetAsync(holdId, ct))!.ToResponse());
    }

    static async Task<Results<Ok<HoldResponse>, ProblemHttpResult>> NotFound(long id, HoldStore holds, IlsItemCheck ilsItems, Notify notify, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await holds.GetAsync(id, ct) is not { } hold) return Problems.NotFound("La réservation", id);
        await ilsItems.CheckAsync(hold.TitleId, hold.RequestedCopyId, hold.PickupPointId, ct); // Ils:Provider=sip2: the next copy must be there
        var now = clock.GetUtcNow();
        var outcome = await db.WriteAsync(async uow =>
        {
            var reallocated = await holds.ReportMissingAsync(uow, id, now, ct);
            if (reallocated is not null && hold.CopyId is { } missing) await notify.CopyNotFoundAsync(uow, id, missing, now, ct);
            return reallocated;
        }, ct);
        if (outcome is null)
            return Problems.Conflict("hold_not_to_pick", "Rien à chercher", $"La réservation est « {DapperSetup.ToDb(hold.Status)} ».");
        return TypedResults.Ok((await holds.GetAsync(id, ct))!.ToResponse());
    }

    static async Task<Results<Ok<HoldResponse>, ProblemHttpResult>> UndoNotFound(long id, HoldStore holds, Notify notify, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await holds.GetAsync(id, ct) is null) return Problems.NotFound("La réservation", id);
        var now = clock.GetUtcNow();
        await using (var uow = await db.WriteAsync(ct)) // closed before reading back
        {
            if (await holds.UndoMissingAsync(uow, id, now, ct) is not { } copyId)
                return Problems.Conflict("not_found_not_undoable", "Trop tard pour annuler",
                    "Aucun signalement « introuvable » de moins de 5 minutes sur cette réservation, ou l'exemplaire a déjà changé d'état.");
            await notify.CopyFoundAgainAsync(uow, id, copyId, ct);
            await uow.CommitAsync(ct);
        }
        return TypedResults.Ok((await holds.GetAsync(id, ct))!.ToResponse());
    }

    static async Task<Results<Ok<IReadOnlyList<string>>, ProblemHttpResult>> ShelfOrder(long id, BranchStore branches, PickListStore store, CancellationToken ct) =>
        await branches.ExistsAsync(id, ct) ? TypedResults.Ok(await store.ShelfOrderAsync(id, ct)) : Problems.NotFound("La bibliothèque", id);

    static async Task<Results<Ok<IReadOnlyList<string>>, ProblemHttpResult>> SaveShelfOrder(long id, ShelfOrderRequest request, BranchStore branches,
        PickListStore store, Db db, CancellationToken ct)
    {
        if (!await branches.ExistsAsync(id, ct)) return Problems.NotFound("La bibliothèque", id);
        await db.WriteAsync(async uow => { await store.SaveShelfOrderAsync(uow, id, request.Locations, ct); return 0; }, ct);
        return TypedResults.Ok(await store.ShelfOrderAsync(id, ct));
    }
}
