using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Features.Privacy;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Fines;

internal static class FinesEndpoints
{
    public static void AddFines(this IServiceCollection services)
    {
        DapperSetup.AddEnum<FineEntryKind>();
        services.AddSingleton<FinesStore>();
        services.AddSingleton<FineLedgerStore>();
        services.AddSingleton<RecordFinePayment>();
        services.AddSingleton<IValidator<FinePaymentRequest>, FinePaymentRequestValidator>();
    }

    public static void MapFines(this IEndpointRouteBuilder api)
    {
        var fines = api.MapGroup("/patrons/{cardNumber}/fines").WithTags("Fines");
        fines.MapGet("/", Get).WithName("GetFines")
            .WithSummary("A patron's fines, derived today from loans, policy, closed days and lockdowns (cents), with payments and waivers")
            .RequireAuthorization(Policies.PatronOrStaff).ProducesProblem(StatusCodes.Status404NotFound);
        fines.MapPost("/payments", Pay).WithName("PayFines").WithSummary("Record a payment or a waiver (cents); more than the balance is refused")
            .RequireAuthorization(Policies.Staff).WithValidation<FinePaymentRequest>().WithIdempotency<FinePaymentRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    static async Task<Results<Ok<FinesResponse>, ProblemHttpResult>> Get(string cardNumber, CurrentUser user, PatronStore patrons,
        FinesStore fines, FineLedgerStore ledger, LockdownStore lockdowns, PatronAccessLog accessLog, HttpContext http, TimeProvider clock,
        CancellationToken ct)
    {
        // A patron sees their own card only; another card answers as if it did not exist.
        if (await patrons.FindByCardAsync(cardNumber, ct) is not { } patron || (user.IsPatron && patron.Id != user.Id))
            return Problems.NotFound("La carte", cardNumber);
        await accessLog.RecordAsync(user, patron.Id, PatronAccess.Open, PatronAccessLog.PageOf(http), ct);
        return TypedResults.Ok(FineStatement.Build(patron.CardNumber, await fines.PatronLoansAsync(patron.Id, ct), await ledger.EntriesAsync(patron.Id, ct),
            await fines.ContextAsync(ct), await lockdowns.PeriodsAsync(ct), clock.GetUtcNow()));
    }

    static async Task<Results<Created<FinesResponse>, ProblemHttpResult>> Pay(string cardNumber, FinePaymentRequest request, CurrentUser user,
        RecordFinePayment payment, CancellationToken ct) =>
        await payment.RunAsync(cardNumber, request, user, ct) switch
        {
            FinePaymentResult.Recorded(var card, var statement) => TypedResults.Created($"/api/patrons/{Uri.EscapeDataString(card)}/fines", statement),
            FinePaymentResult.Refused(var problem) => problem,
            var other => throw new InvalidOperationException($"Unknown result {other}"),
        };
}
