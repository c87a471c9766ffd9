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
        PatronStore patrons, FinesStore fines, FineLedgerStore ledger, LockdownStore lockdowns, AuditStore audit, Db db, TimeProvider clock,
        CancellationToken ct)
    {
        if (await patrons.FindByCardAsync(cardNumber, ct) is not { } patron) return Problems.NotFound("La carte", cardNumber);
        var now = clock.GetUtcNow();
        FinesResponse statement;
        await using (var uow = await db.WriteAsync(ct))
        {
            // The balance is read and the entry written under the patron's lock (and with no lockdown change
            // under way), so two payments at once cannot both take the same euro.
            await uow.LockSharedAsync(LockKeys.Lending, ct);
            await uow.LockAsync(LockKeys.Patron(patron.Id), ct);
            var before = FineStatement.Build(patron.CardNumber, await fines.PatronLoansAsync(uow, patron.Id, ct),
                await ledger.EntriesAsync(uow, patron.Id, ct), await fines.ContextAsync(uow, ct), await lockdowns.PeriodsAsync(uow, ct), now);
            if (request.Amount > before.Balance)
            {
                return Problems.Conflict("overpayment", "Montant supérieur au solde",
                    $"Le solde dû est de {Euros(before.Balance)} : un paiement ou une remise de {Euros(request.Amount)} le rendrait négatif.");
            }
            var note = request.Note?.Trim() ?? "";
            var id = await ledger.InsertAsync(uow, patron.Id, request.Kind, request.Amount, note, user.Id, now, ct);
            await audit.WriteAsync(uow, user, $"fines.{DapperSetup.ToDb(request.Kind)}", "patron", patron.Id,
                new { EntryId = id, patron.CardNumber, request.Amount, request.Kind, Note = note, BalanceBefore = before.Balance }, now, ct);
            statement = before with
            {
                Paid = before.Paid + request.Amount,
                Balance = before.Balance - request.Amount,
                Entries = [.. before.Entries, new FineEntryResponse(id, request.Kind, request.Amount, note, now)],
            };
            await uow.CommitAsync(ct);
        }
        return TypedResults.Created($"/api/patrons/{Uri.EscapeDataString(patron.CardNumber)}/fines", statement);
    }

    static string Euros(int cents) => (cents / 100m).ToString("0.00 €", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"));
}
