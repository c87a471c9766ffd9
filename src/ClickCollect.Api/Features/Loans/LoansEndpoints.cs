using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Features.Fines;
using ClickCollect.Api.Features.Ils;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Features.Privacy;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.OpenApi;

namespace ClickCollect.Api.Features.Loans;

internal static class LoansEndpoints
{
    /// <summary>A network's current loans are a few hundred thousand lines at most: about 10 MB.</summary>
    public const long ImportBodyLimit = 32 * 1024 * 1024;

    public static void AddLoans(this IServiceCollection services)
    {
        DapperSetup.AddEnum<LoanSource>();
        services.AddOptions<OverdueReminderOptions>().BindConfiguration(OverdueReminderOptions.Section)
            .Validate(o => o.Offsets.All(d => d is > 0 and <= 365), "OverdueReminders:OffsetsDays must be between 1 and 365.")
            .Validate(o => o.Interval >= TimeSpan.FromMinutes(1), "OverdueReminders:Interval must be at least a minute.")
            .ValidateOnStart();
        services.AddSingleton<LoanPolicyStore>();
        services.AddSingleton<LoanStore>();
        services.AddSingleton<LoanImport>();
        services.AddSingleton<IValidator<ReturnRequest>, ReturnRequestValidator>();
        services.AddSingleton<IValidator<LoanPoliciesRequest>, LoanPoliciesRequestValidator>();
        services.AddHostedService<OverdueReminderWorker>();
    }

    public static void MapLoans(this IEndpointRouteBuilder api)
    {
        var loans = api.MapGroup("/loans").WithTags("Loans");
        loans.MapGet("/", List).WithName("ListLoans").WithSummary("Patron: their loans. Staff: a patron's loans (patronCardNumber); includeReturned for the history")
            .RequireAuthorization(Policies.PatronOrStaff).ProducesProblem(StatusCodes.Status400BadRequest);
        loans.MapPost("/import", Import).WithName("ImportLoans")
            .WithSummary("Import current loans from the library system (CSV cardNumber,barcode,loanedOn,dueOn; the file is the body); nothing is imported when a line is bad")
            .RequireAuthorization(Policies.Director).WithBodyLimit(ImportBodyLimit)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "UTF-8 CSV with the header cardNumber,barcode,loanedOn,dueOn; dates yyyy-MM-dd",
                    Content = new Dictionary<string, OpenApiMediaType> { ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                };
                return Task.CompletedTask;
            })
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        loans.MapPost("/returns", Return).WithName("ReturnLoan")
            .WithSummary("A copy scanned back at the counter: the loan ends, the copy goes to the next hold or back on the shelf")
            .RequireAuthorization(Policies.Staff).WithValidation<ReturnRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var policies = api.MapGroup("/loan-policies").WithTags("Loans");
        policies.MapGet("/", Policies_).WithName("GetLoanPolicies").WithSummary("Loan length and fine rules by format and audience (cents)")
            .RequireAuthorization(Policies.Staff);
        policies.MapPut("/", SavePolicies).WithName("SaveLoanPolicies")
            .WithSummary("Replace the loan and fine rules (a row without format nor audience is the default)")
            .RequireAuthorization(Policies.Director).WithValidation<LoanPoliciesRequest>();
    }

    static async Task<Results<Ok<List<LoanResponse>>, ProblemHttpResult>> List(string? patronCardNumber, bool? includeReturned, CurrentUser user,
        PatronStore patrons, LoanStore loans, FinesStore fines, LockdownStore lockdowns, PatronAccessLog accessLog, HttpContext http, TimeProvider clock,
        CancellationToken ct)
    {
        long patronId;
        if (user.IsPatron)
        {
            patronId = user.Id;
        }
        else
        {
            if (string.IsNullOrWhiteSpace(patronCardNumber)) return Problems.Field("patronCardNumber", "Indiquez la carte du lecteur.");
            if (await patrons.FindByCardAsync(patronCardNumber.Trim(), ct) is not { } patron)
                return Problems.Field("patronCardNumber", $"La carte {patronCardNumber} n'existe pas.");
            patronId = patron.Id;
            await accessLog.RecordAsync(user, patronId, PatronAccess.Open, PatronAccessLog.PageOf(http), ct);
        }
        var rows = await loans.ListAsync(new LoanFilter(patronId, includeReturned ?? false), ct);
        var fined = (await fines.PatronLoansAsync(patronId, ct)).ToDictionary(l => l.Id);
        var (context, periods, now) = (await fines.ContextAsync(ct), await lockdowns.PeriodsAsync(ct), clock.GetUtcNow());
        return TypedResults.Ok(rows.Select(r =>
        {
            var fine = context.Compute(fined[r.Id], periods, now);
            return r.ToResponse(fine.OverdueDays, fine.AmountCents);
        }).ToList());
    }

    static async Task<Results<Ok<LoanImportReport>, ProblemHttpResult>> Import(HttpRequest request, CurrentUser user, LoanImport importer,
        AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        var file = await LoanCsv.ReadAsync(request.Body, ct);
        LoanImportReport report;
        await using (var uow = await db.WriteAsync(ct))
        {
            report = await importer.ImportAsync(uow, file, ct);
            if (report.Rejected.Count > 0) return Problems.ImportRejected(report.Rejected);
            await audit.WriteAsync(uow, user, "loans.imported", "loans", null,
                new { report.Read, report.Created, report.Updated, report.Unchanged, report.DueDatesShifted }, clock.GetUtcNow(), ct);
            await uow.CommitAsync(ct);
        }
        return TypedResults.Ok(report);
    }

    static async Task<Results<Ok<ReturnResponse>, ProblemHttpResult>> Return(ReturnRequest request, CurrentUser user, LoanStore loans,
        FinesStore fines, LockdownStore lockdowns, IlsTransactions ils, IlsOutboxStore ilsOutbox, Db db, TimeProvider clock, CancellationToken ct)
    {
        var barcode = request.Barcode.Trim();
        ReturnOutcome outcome;
        await using (var uow = await db.WriteAsync(ct)) // closed before reading back (see PlaceHold)
        {
            outcome = await loans.ReturnAsync(uow, barcode, user.Id, ct);
            if (outcome is ReturnOutcome.Returned) await uow.CommitAsync(ct);
        }
        switch (outcome)
        {
            case ReturnOutcome.UnknownBarcode:
                return Problems.NotFound("L'exemplaire", barcode);
            case ReturnOutcome.NotOnLoan(var status):
                return Problems.Conflict("not_on_loan", "Exemplaire pas en prêt", $"L'exemplaire {barcode} n'est pas en prêt (« {status} »).");
        }
        var returned = (ReturnOutcome.Returned)outcome;
        // The library system keeps the record of loans (issue #13): it hears of the return now, or from the outbox.
        string? ilsMessage = null;
        if (ils.Enabled)
        {
            var at = clock.GetUtcNow();
            ilsMessage = await ils.CheckinAsync(barcode, at, c => db.WriteAsync(async uow =>
            {
                await ilsOutbox.EnqueueAsync(uow, "checkin", null, barcode, at, c);
                return true;
            }, c), ct);
        }
        LoanResponse? loan = null;
        if (returned.LoanId is { } loanId && (await loans.ListAsync(new LoanFilter(LoanId: loanId, IncludeReturned: true), ct)).SingleOrDefault() is { } row)
        {
            var fineLoan = (await fines.PatronLoansAsync(row.PatronId, ct)).Single(l => l.Id == loanId);
            var fine = (await fines.ContextAsync(ct)).Compute(fineLoan, await lockdowns.PeriodsAsync(ct), clock.GetUtcNow());
            loan = row.ToResponse(fine.OverdueDays, fine.AmountCents);
        }
        return TypedResults.Ok(new ReturnResponse(barcode, returned.Title, loan, returned.CopyStatus, returned.NextHoldId, ilsMessage));
    }

    static async Task<Ok<LoanPoliciesResponse>> Policies_(LoanPolicyStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct));

    static async Task<Ok<LoanPoliciesResponse>> SavePolicies(LoanPoliciesRequest request, CurrentUser user, LoanPolicyStore store, AuditStore audit,
        Db db, TimeProvider clock, CancellationToken ct)
    {
        await db.WriteAsync(async uow =>
        {
            var before = await store.ListAsync(uow, ct);
            await store.ReplaceAsync(uow, request.Policies, ct);
            await audit.WriteAsync(uow, user, "loanPolicies.replaced", "loanPolicies", null, new { Before = before.Policies, After = request.Policies },
                clock.GetUtcNow(), ct);
            return 0;
        }, ct);
        return TypedResults.Ok(await store.ListAsync(ct));
    }
}
