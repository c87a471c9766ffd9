using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Staff;

internal static class StaffEndpoints
{
    public static void AddStaff(this IServiceCollection services)
    {
        services.AddSingleton<StaffStore>();
        services.AddSingleton<SignInGuard>();
        services.AddSingleton<IValidator<StaffSignInRequest>, StaffSignInRequestValidator>();
        services.AddSingleton<IValidator<CreateStaffRequest>, CreateStaffRequestValidator>();
    }

    public static RouteGroupBuilder MapStaff(this IEndpointRouteBuilder api)
    {
        var staff = api.MapGroup("/staff").WithTags("Staff");

        staff.MapPost("/sign-in", SignIn).WithName("StaffSignIn").WithSummary("Sign in with username and password")
            .AllowAnonymous().RequireRateLimiting(RateLimiting.SignIn).WithValidation<StaffSignInRequest>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        staff.MapGet("/me", Me).WithName("StaffMe").WithSummary("The signed-in staff member").RequireAuthorization(Policies.Staff);
        staff.MapGet("/", List).WithName("ListStaff").WithSummary("Staff accounts").RequireAuthorization(Policies.Director);
        staff.MapPost("/", Create).WithName("CreateStaff").WithSummary("Create a staff account")
            .RequireAuthorization(Policies.Director).WithValidation<CreateStaffRequest>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/sign-out", SignOut).WithName("SignOut").WithSummary("End the page session (cookie)").WithTags("Staff")
            .AllowAnonymous();
        return staff;
    }

    static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> SignIn(
        StaffSignInRequest request, StaffStore store, SignInGuard guard, TokenIssuer tokens, HttpContext http, CancellationToken ct)
    {
        var credentials = await store.FindCredentialsAsync(request.Username, ct);
        switch (await guard.CheckAsync(SignInGuard.Accounts.Staff, credentials, request.Password, ct))
        {
            case SignInGuard.Outcome.Locked(var until):
                return Problems.AccountLocked(until);
            case SignInGuard.Outcome.Rejected:
                return Problems.SignInFailed();
        }
        var row = (await store.GetAsync(credentials!.Id, ct))!;
        return TypedResults.Ok(await tokens.SignInAsync(http, new CurrentUser(row.Id, row.Role, row.DisplayName, null)));
    }

    static async Task<Results<Ok<StaffResponse>, ProblemHttpResult>> Me(CurrentUser user, StaffStore store, CancellationToken ct) =>
        await store.GetAsync(user.Id, ct) is { } row ? TypedResults.Ok(row.ToResponse()) : Problems.NotFound("Le compte", user.Id);

    static async Task<Ok<List<StaffResponse>>> List(StaffStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(r => r.ToResponse()).ToList());

    static async Task<Results<Created<StaffResponse>, ProblemHttpResult>> Create(
        CreateStaffRequest request, StaffStore store, PasswordHashing hashing, Db db, CancellationToken ct)
    {
        var id = await db.WriteAsync(uow => store.CreateAsync(uow, request.Username.Trim(), request.DisplayName.Trim(), request.Role,
            request.BranchId, hashing.Hash(request.Password), ct), ct);
        if (id is null) return Problems.Conflict("username_taken", "Identifiant déjà pris", $"« {request.Username} » existe déjà.");
        var row = (await store.GetAsync(id.Value, ct))!;
        return TypedResults.Created($"/api/staff/{id}", row.ToResponse());
    }

    static SignOutHttpResult SignOut() =>
        TypedResults.SignOut(authenticationSchemes: [CookieAuthenticationDefaults.AuthenticationScheme]);
}

internal sealed record StaffSignInRequest(string Username, string Password);

internal sealed class StaffSignInRequestValidator : AbstractValidator<StaffSignInRequest>
{
    public StaffSignInRequestValidator()
    {
        RuleFor(r => r.Username).NotEmpty().MaximumLength(100);
        RuleFor(r => r.Password).NotEmpty().MaximumLength(200);
    }
}

internal sealed record CreateStaffRequest(string Username, string DisplayName, string Role, string Password, long? BranchId);

internal sealed class CreateStaffRequestValidator : AbstractValidator<CreateStaffRequest>
{
    public CreateStaffRequestValidator()
    {
        RuleFor(r => r.Username).NotEmpty().MaximumLength(100).Matches("^[A-Za-z0-9._-]+$")
            .WithMessage("Lettres sans accent, chiffres, « . », « _ » et « - » seulement.");
        RuleFor(r => r.DisplayName).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Role).Must(Roles.IsStaffRole).WithMessage("Rôle attendu : counter, librarian ou director.");
        RuleFor(r => r.Password).NotEmpty().MinimumLength(10).MaximumLength(200);
    }
}
