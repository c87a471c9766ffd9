using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Privacy;

/// <summary>Everything held about a patron: the readable part (loans and reservations with titles) and every row of every table that mentions them.</summary>
internal sealed record PatronExport(DateTimeOffset ExportedAt, PatronResponse Patron, IReadOnlyList<PatronDataStore.ReadingLine> Loans,
    IReadOnlyList<PatronDataStore.ReservationLine> Reservations, IReadOnlyDictionary<string, List<Dictionary<string, object?>>> Tables);

/// <summary>The patron's consents (issue 16): the reading history kept past the retention period, and SMS notices.</summary>
internal sealed record ConsentsRequest(bool HistoryConsent, bool SmsConsent);

internal sealed record ErasureRequestResponse(DateTimeOffset RequestedAt, IReadOnlyList<ErasureBlocker> Blockers);

/// <summary>The patron's own data (issue 16 item 2): export, consents, erasure asked by the patron and done by staff.</summary>
internal static class PatronDataEndpoints
{
    public static void MapPatronData(this IEndpointRouteBuilder api)
    {
        var patrons = api.MapGroup("/patrons").WithTags("Privacy");
        patrons.MapGet("/me/export", ExportOwn).WithName("ExportOwnPatronData")
            .WithSummary("Everything held about the signed-in patron (JSON): loans and reservations with titles, and every row that mentions them")
            .RequireAuthorization(Policies.Patron);
        patrons.MapGet("/{cardNumber}/export", Export).WithName("ExportPatronData")
            .WithSummary("Everything held about a patron, for staff (the export is logged in the access log)")
            .RequireAuthorization(Policies.Staff).ProducesProblem(StatusCodes.Status404NotFound);
        patrons.MapPut("/me/consents", SetConsents).WithName("SetOwnConsents")
            .WithSummary("The signed-in patron gives or withdraws consent to a reading history and to SMS (dates recorded); withdrawing the history unlinks past loans at once")
            .RequireAuthorization(Policies.Patron).ProducesProblem(StatusCodes.Status400BadRequest);
        patrons.MapPost("/me/erasure-request", RequestErasure).WithName("RequestErasure")
            .WithSummary("The signed-in patron asks for their data to be erased; staff confirm it. Says what would block it today")
            .RequireAuthorization(Policies.Patron);
        patrons.MapDelete("/me/erasure-request", WithdrawErasureRequest).WithName("WithdrawErasureRequest")
            .WithSummary("The signed-in patron withdraws their erasure request").RequireAuthorization(Policies.Patron);
        patrons.MapErasureRequests();
        patrons.MapPost("/{cardNumber}/erasure", Erase).WithName("ErasePatron")
            .WithSummary("Erase a patron: links and free text go, anonymous counts stay; refused (409, reasons) while loans are out, fines due or reservations under way")
            .RequireAuthorization(new AuthorizeAttribute { Roles = $"{Roles.Counter},{Roles.Director}" })
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    static async Task<PatronExport> BuildExportAsync(PatronRow patron, PatronDataStore data, DateTimeOffset now, CancellationToken ct)
    {
        var (loans, holds) = await data.ReadableAsync(patron.Id, ct);
        return new PatronExport(now, patron.ToResponse(), loans, holds, await data.ExportAsync(patron.Id, patron.CardNumber, patron.Phone, ct));
    }

    static async Task<Results<Ok<PatronExport>, ProblemHttpResult>> ExportOwn(CurrentUser user, PatronStore patrons, PatronDataStore data,
        TimeProvider clock, CancellationToken ct) =>
        await patrons.GetAsync(user.Id, ct) is { } patron
            ? TypedResults.Ok(await BuildExportAsync(patron, data, clock.GetUtcNow(), ct))
            : Problems.NotFound("Le lecteur", user.Id);

    static async Task<Results<Ok<PatronExport>, ProblemHttpResult>> Export(string cardNumber, CurrentUser user, PatronStore patrons,
        PatronDataStore data, PatronAccessLog accessLog, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        if (await patrons.FindByCardAsync(cardNumber.Trim(), ct) is not { } patron) return Problems.NotFound("La carte", cardNumber);
        await accessLog.RecordAsync(user, patron.Id, PatronAccess.Export, PatronAccessLog.PageOf(http), ct);
        return TypedResults.Ok(await BuildExportAsync(patron, data, clock.GetUtcNow(), ct));
    }

    static async Task<Results<Ok<PatronResponse>, ProblemHttpResult>> SetConsents(ConsentsRequest request, CurrentUser user, PatronStore patrons,
        RetentionJob retention, RetentionStore store, IOptions<RetentionOptions> options, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await patrons.GetAsync(user.Id, ct) is not { } patron) return Problems.NotFound("Le lecteur", user.Id);
        if (request.SmsConsent && !PhoneNumber.IsMobile(patron.Phone))
            return Problems.Field("smsConsent", "Les SMS demandent un numéro de portable : indiquez-le d'abord.");
        var now = clock.GetUtcNow();
        await db.WriteAsync(async uow =>
        {
            await patrons.SetHistoryConsentAsync(uow, patron.Id, request.HistoryConsent, now, ct);
            return await patrons.SetContactAsync(uow, patron.Id, patron.Phone, request.SmsConsent, now, ct);
        }, ct);
        if (patron.HistoryConsent && !request.HistoryConsent)
        {
            // Consent withdrawn: what it kept past the retention period goes now, not at the next daily run.
            var today = Slots.SlotCalculator.LocalDate(now, await store.NetworkZoneAsync(db, ct));
            await retention.UnlinkLoansAsync(now, RetentionJob.LoanCutoff(today, options.Value.LoanMonths), patron.Id, everything: false, ct);
        }
        return TypedResults.Ok((await patrons.GetAsync(patron.Id, ct))!.ToResponse());
    }

    static async Task<Results<Accepted<ErasureRequestResponse>, ProblemHttpResult>> RequestErasure(CurrentUser user, ErasePatron erase, Db db,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var answer = await db.WriteAsync(async uow =>
        {
            var at = await PatronStore.RequestErasureAsync(uow, user.Id, now, ct);
            return at is null ? null : new ErasureRequestResponse(at.Value, await erase.BlockersAsync(uow, user.Id, now, ct));
        }, ct);
        return answer is null ? Problems.NotFound("Le lecteur", user.Id) : TypedResults.Accepted("/api/patrons/me", answer);
    }

    static async Task<NoContent> WithdrawErasureRequest(CurrentUser user, Db db, CancellationToken ct)
    {
        await db.WriteAsync(uow => PatronStore.WithdrawErasureRequestAsync(uow, user.Id, ct), ct);
        return TypedResults.NoContent();
    }

    static async Task<Results<Ok<ErasureOutcome.Erased>, ProblemHttpResult>> Erase(string cardNumber, CurrentUser user, PatronStore patrons,
        ErasePatron erase, Db db, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        if (await patrons.FindByCardAsync(cardNumber.Trim(), ct) is not { } patron || patron.CardNumber.StartsWith('~'))
            return Problems.NotFound("La carte", cardNumber);
        await using var uow = await db.WriteAsync(ct);
        var outcome = await erase.EraseAsync(uow, patron, user, PatronAccessLog.PageOf(http), clock.GetUtcNow(), ct);
        if (outcome is ErasureOutcome.Blocked(var reasons))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Effacement impossible pour l'instant",
                detail: string.Join(" ", reasons.Select(r => r.Message)),
                extensions: new Dictionary<string, object?> { ["code"] = "erasure_blocked", ["reasons"] = reasons });
        }
        await uow.CommitAsync(ct);
        return TypedResults.Ok((ErasureOutcome.Erased)outcome);
    }
}
