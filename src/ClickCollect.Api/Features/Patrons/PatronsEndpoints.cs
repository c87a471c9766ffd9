using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Features.Ils;
using ClickCollect.Api.Features.Patrons.Import;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Features.Privacy;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace ClickCollect.Api.Features.Patrons;

internal static class PatronsEndpoints
{
    public static void AddPatrons(this IServiceCollection services)
    {
        services.AddSingleton<PatronStore>();
        services.AddOptions<PatronOptions>().BindConfiguration(PatronOptions.Section)
            .Validate(o => o.UsesSip2 || o.Authentication.Equals("local", StringComparison.OrdinalIgnoreCase), "Patrons:Authentication must be local or sip2.")
            .Validate(o => o.PinCodeValidity >= TimeSpan.FromMinutes(5), "Patrons:PinCodeValidity must be at least 5 minutes.")
            .ValidateOnStart();
        services.AddSingleton<LocalPatronAuthenticator>();
        services.AddSingleton<IPatronAuthenticator>(sp => sp.GetRequiredService<IOptions<PatronOptions>>().Value.UsesSip2
            ? sp.GetRequiredService<Sip2PatronAuthenticator>()
            : sp.GetRequiredService<LocalPatronAuthenticator>());
        services.AddSingleton<IValidator<PatronSignInRequest>, PatronSignInRequestValidator>();
        services.AddSingleton<IValidator<CreatePatronRequest>, CreatePatronRequestValidator>();
        services.AddSingleton<IValidator<PatronContactRequest>, PatronContactRequestValidator>();
        services.AddSingleton<PatronImport>();
        services.AddSingleton<IValidator<SetPinRequest>, SetPinRequestValidator>();
    }

    public static RouteGroupBuilder MapPatrons(this IEndpointRouteBuilder api)
    {
        var patrons = api.MapGroup("/patrons").WithTags("Patrons");

        patrons.MapPost("/sign-in", SignIn).WithName("PatronSignIn").WithSummary("Sign in with card number and PIN")
            .AllowAnonymous().RequireRateLimiting(RateLimiting.SignIn).WithValidation<PatronSignInRequest>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        patrons.MapGet("/me", Me).WithName("PatronMe").WithSummary("The signed-in patron").RequireAuthorization(Policies.Patron);
        patrons.MapGet("/", Search).WithName("SearchPatrons").WithSummary("Find patrons by card number, name or phone (phone desk)")
            .RequireAuthorization(Policies.Staff);
        patrons.MapGet("/{cardNumber}", Get).WithName("GetPatron").WithSummary("A patron by card number")
            .RequireAuthorization(Policies.PatronOrStaff).ProducesProblem(StatusCodes.Status404NotFound);
        patrons.MapPost("/", Create).WithName("CreatePatron").WithSummary("Register a patron")
            .RequireAuthorization(Policies.Staff).WithValidation<CreatePatronRequest>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        patrons.MapPost("/import", Import).WithName("ImportPatrons")
            .WithSummary("Import patrons from the library system (CSV cardNumber,firstName,lastName,phone,email,homeBranchCode,expiresOn,blocked; the file is the body); full=true deactivates those the file does not list; nothing is imported when a line is bad")
            .RequireAuthorization(Policies.Director).WithBodyLimit(Loans.LoansEndpoints.ImportBodyLimit)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "UTF-8 CSV with the header cardNumber,firstName,lastName and any of phone,email,homeBranchCode,expiresOn (yyyy-MM-dd),blocked (true|false)",
                    Content = new Dictionary<string, OpenApiMediaType> { ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                };
                return Task.CompletedTask;
            })
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        patrons.MapPinSetup();
        patrons.MapPatronRecord();
        return patrons;
    }

    static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> SignIn(
        PatronSignInRequest request, IPatronAuthenticator authenticator, PatronStore store, TokenIssuer tokens, HttpContext http, CancellationToken ct)
    {
        long patronId;
        switch (await authenticator.SignInAsync(request.CardNumber.Trim(), request.Pin, ct))
        {
            case PatronSignInOutcome.Accepted(var id):
                patronId = id;
                break;
            case PatronSignInOutcome.Throttled(var retryAfter):
                return Problems.SignInThrottled(http, retryAfter);
            case PatronSignInOutcome.Locked(var until):
                return Problems.AccountLocked(until);
            case PatronSignInOutcome.Unavailable(var message):
                return Problems.Create(StatusCodes.Status503ServiceUnavailable, "library_system_unavailable", "Système de la bibliothèque injoignable", message);
            default:
                return Problems.SignInFailed();
        }
        var row = (await store.GetAsync(patronId, ct))!;
        var user = new CurrentUser(row.Id, Roles.Patron, $"{row.FirstName} {row.LastName}", row.CardNumber);
        return TypedResults.Ok(await tokens.SignInAsync(http, user, ct));
    }

    static async Task<Results<Ok<PatronResponse>, ProblemHttpResult>> Me(CurrentUser user, PatronStore store, CancellationToken ct) =>
        await store.GetAsync(user.Id, ct) is { } row ? TypedResults.Ok(row.ToResponse()) : Problems.NotFound("Le lecteur", user.Id);

    static async Task<Ok<List<PatronResponse>>> Search(string? q, PatronStore store, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(q)) return TypedResults.Ok(new List<PatronResponse>());
        var phone = PhoneNumber.TryNormalise(q, out var e164) ? e164 : null;
        return TypedResults.Ok((await store.SearchAsync(q.Trim(), phone, 50, ct)).Select(r => r.ToResponse()).ToList());
    }

    static async Task<Results<Ok<PatronResponse>, ProblemHttpResult>> Get(string cardNumber, CurrentUser user, PatronStore store,
        PatronAccessLog accessLog, HttpContext http, CancellationToken ct)
    {
        // A patron sees only their own card; the answer is the same 404 as for an unknown card.
        if (user.IsPatron && !string.Equals(user.CardNumber, cardNumber, StringComparison.OrdinalIgnoreCase))
            return Problems.NotFound("La carte", cardNumber);
        if (await store.FindByCardAsync(cardNumber, ct) is not { } row) return Problems.NotFound("La carte", cardNumber);
        await accessLog.RecordAsync(user, row.Id, PatronAccess.Open, PatronAccessLog.PageOf(http), ct);
        return TypedResults.Ok(row.ToResponse());
    }

    static async Task<Results<Created<PatronResponse>, ProblemHttpResult>> Create(
        CreatePatronRequest request, PatronStore store, BranchStore branches, PasswordHashing hashing, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (request.HomeBranchId is { } branchId && !await branches.ExistsAsync(branchId, ct))
            return Problems.Field("homeBranchId", $"La bibliothèque {branchId} n'existe pas.");
        // National numbers are read in the home branch's region ("079 123 45 67" is Swiss in Geneva, French in Paris).
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(request.Phone)
            && !PhoneNumber.TryNormalise(request.Phone, out phone, await branches.PhoneRegionAsync(request.HomeBranchId, ct)))
            return Problems.Field("phone", PhoneNumber.NotRecognised);
        var patron = new NewPatron(request.CardNumber.Trim(), hashing.Hash(request.Pin), request.FirstName.Trim(), request.LastName.Trim(),
            phone, string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim(), request.SmsConsent, request.HomeBranchId, clock.GetUtcNow());
        var id = await db.WriteAsync(uow => store.CreateAsync(uow, patron, ct), ct);
        if (id is null) return Problems.Conflict("card_number_taken", "Carte déjà attribuée", $"La carte {request.CardNumber} existe déjà.");
        return TypedResults.Created($"/api/patrons/{patron.CardNumber}", (await store.GetAsync(id.Value, ct))!.ToResponse());
    }

    static async Task<Results<Ok<PatronImportReport>, ProblemHttpResult>> Import(HttpRequest request, bool? full, CurrentUser user,
        PatronImport importer, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        var file = await PatronCsv.ReadAsync(request.Body, ct);
        PatronImportReport report;
        await using (var uow = await db.WriteAsync(ct))
        {
            report = await importer.ImportAsync(uow, file, full ?? false, ct);
            if (report.Rejected.Count > 0) return Problems.ImportRejected(report.Rejected);
            await audit.WriteAsync(uow, user, "patrons.imported", "patrons", null,
                new { report.Read, report.Created, report.Updated, report.Unchanged, report.Deactivated, report.Reactivated, report.Full }, clock.GetUtcNow(), ct);
            await uow.CommitAsync(ct);
        }
        return TypedResults.Ok(report);
    }
}

internal sealed record PatronSignInRequest(string CardNumber, string Pin);

internal sealed class PatronSignInRequestValidator : AbstractValidator<PatronSignInRequest>
{
    public PatronSignInRequestValidator()
    {
        RuleFor(r => r.CardNumber).NotEmpty().MaximumLength(40);
        RuleFor(r => r.Pin).NotEmpty().MaximumLength(40);
    }
}

internal sealed record CreatePatronRequest(string CardNumber, string Pin, string FirstName, string LastName,
    string? Phone, string? Email, bool SmsConsent = false, long? HomeBranchId = null);

internal sealed class CreatePatronRequestValidator : AbstractValidator<CreatePatronRequest>
{
    public CreatePatronRequestValidator()
    {
        RuleFor(r => r.CardNumber).NotEmpty().MaximumLength(40).Matches("^[A-Za-z0-9-]+$")
            .WithMessage("Lettres sans accent, chiffres et « - » seulement.");
        RuleFor(r => r.Pin).NotEmpty().Matches("^[0-9]{4,8}$").WithMessage("Le code PIN compte 4 à 8 chiffres.");
        RuleFor(r => r.FirstName).NotEmpty().MaximumLength(100);
        RuleFor(r => r.LastName).NotEmpty().MaximumLength(100);
        // Read again in the home branch's region by the handler; this catches what is no number anywhere.
        RuleFor(r => r.Phone).Must(p => PhoneNumber.TryNormalise(p, out _)).When(r => !string.IsNullOrWhiteSpace(r.Phone))
            .WithMessage(PhoneNumber.NotRecognised);
        RuleFor(r => r.Email).EmailAddress().MaximumLength(200).When(r => !string.IsNullOrWhiteSpace(r.Email));
        RuleFor(r => r.SmsConsent).Equal(false).When(r => string.IsNullOrWhiteSpace(r.Phone))
            .WithMessage("Le consentement SMS demande un numéro de téléphone.");
    }
}
