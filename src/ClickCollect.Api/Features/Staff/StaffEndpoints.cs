using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Features.Network;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Authentication;
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
        services.AddSingleton<IValidator<UpdateStaffRequest>, UpdateStaffRequestValidator>();
        services.AddSingleton<IValidator<ResetPasswordRequest>, ResetPasswordRequestValidator>();
    }

    public static RouteGroupBuilder MapStaff(this IEndpointRouteBuilder api)
    {
        var staff = api.MapGroup("/staff").WithTags("Staff");

        staff.MapPost("/sign-in", SignIn).WithName("StaffSignIn").WithSummary("Sign in with username and password")
            .AllowAnonymous().RequireRateLimiting(RateLimiting.SignIn).WithValidation<StaffSignInRequest>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        staff.MapGet("/me", Me).WithName("StaffMe").WithSummary("The signed-in staff member").RequireAuthorization(Policies.Staff);
        staff.MapGet("/", List).WithName("ListStaff").WithSummary("Staff accounts").RequireAuthorization(Policies.Director);
        staff.MapPost("/", Create).WithName("CreateStaff").WithSummary("Create a staff account")
            .RequireAuthorization(Policies.Director).WithValidation<CreateStaffRequest>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapPut("/{id:long}", Update).WithName("UpdateStaff")
            .WithSummary("Change a staff account's name, role, branch, home pickup point, or disable it (audited)")
            .RequireAuthorization(Policies.Director).WithValidation<UpdateStaffRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapPost("/{id:long}/password", ResetPassword).WithName("ResetStaffPassword")
            .WithSummary("Give a staff account a new password (and lift a lockout); the password is never shown again (audited)")
            .RequireAuthorization(Policies.Director).WithValidation<ResetPasswordRequest>().ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/{id:long}/unlock", Unlock).WithName("UnlockStaff")
            .WithSummary("Lift the sign-in delay that failed attempts put on a staff account")
            .RequireAuthorization(Policies.Director).ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/{id:long}/sign-out", EndSessions).WithName("EndStaffSessions")
            .WithSummary("End every session of a staff account: its tokens and page cookies stop working at once (audited)")
            .RequireAuthorization(Policies.Director).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/sign-out", SignOut).WithName("SignOut")
            .WithSummary("Sign out: ends the session on the server (its token and its page cookie) and deletes the cookie").WithTags("Staff")
            .AllowAnonymous();
        return staff;
    }

    static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> SignIn(
        StaffSignInRequest request, StaffStore store, SignInGuard guard, TokenIssuer tokens, HttpContext http, CancellationToken ct)
    {
        var credentials = await store.FindCredentialsAsync(request.Username, ct);
        switch (await guard.CheckAsync(SignInGuard.Accounts.Staff, credentials, request.Password, ct))
        {
            case SignInGuard.Outcome.Throttled(var retryAfter):
                return Problems.SignInThrottled(http, retryAfter);
            case SignInGuard.Outcome.Locked(var until):
                return Problems.AccountLocked(until);
            case SignInGuard.Outcome.Rejected:
                return Problems.SignInFailed();
        }
        var row = (await store.GetAsync(credentials!.Id, ct))!;
        return TypedResults.Ok(await tokens.SignInAsync(http, new CurrentUser(row.Id, row.Role, row.DisplayName, null), ct));
    }

    static async Task<Results<Ok<StaffResponse>, ProblemHttpResult>> Me(CurrentUser user, StaffStore store, CancellationToken ct) =>
        await store.GetAsync(user.Id, ct) is { } row ? TypedResults.Ok(row.ToResponse()) : Problems.NotFound("Le compte", user.Id);

    static async Task<Ok<List<StaffResponse>>> List(StaffStore store, CancellationToken ct) =>
        TypedResults.Ok((await store.ListAsync(ct)).Select(r => r.ToResponse()).ToList());

    static async Task<Results<Created<StaffResponse>, ProblemHttpResult>> Create(CreateStaffRequest request, CurrentUser user, StaffStore store,
        PasswordHashing hashing, AuditStore audit, BranchStore branches, PickupPointStore points, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await UnknownPlaceAsync(request.BranchId, request.HomePickupPointId, branches, points, ct) is { } unknown) return unknown;
        var id = await db.WriteAsync(async uow =>
        {
            var id = await store.CreateAsync(uow, request.Username.Trim(), request.DisplayName.Trim(), request.Role,
                request.BranchId, hashing.Hash(request.Password), ct, request.HomePickupPointId);
            if (id is { } created)
                await audit.WriteAsync(uow, user, "staff.created", "staff", created, new
                {
                    After = new { Username = request.Username.Trim(), DisplayName = request.DisplayName.Trim(), request.Role, request.BranchId, request.HomePickupPointId },
                }, clock.GetUtcNow(), ct);
            return id;
        }, ct);
        if (id is null) return Problems.Conflict("username_taken", "Identifiant déjà pris", $"« {request.Username} » existe déjà.");
        var row = (await store.GetAsync(id.Value, ct))!;
        return TypedResults.Created($"/api/staff/{id}", row.ToResponse());
    }

    static async Task<Results<Ok<StaffResponse>, ProblemHttpResult>> Update(long id, UpdateStaffRequest request, CurrentUser user, StaffStore store,
        AuditStore audit, BranchStore branches, PickupPointStore points, SessionStore sessions, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } before) return Problems.NotFound("Le compte", id);
        if (await UnknownPlaceAsync(request.BranchId, request.HomePickupPointId, branches, points, ct) is { } unknown) return unknown;
        // A director cannot lock themselves out (nor leave the network without a director by their own hand).
        if (id == user.Id && (!request.Active || request.Role != Roles.Director))
            return Problems.Conflict("own_account", "Votre propre compte", "Un autre directeur doit désactiver votre compte ou changer votre rôle.");
        await db.WriteAsync(async uow =>
        {
            await store.UpdateAsync(uow, id, request, ct);
            // A disabled account or a changed role: tickets issued before carry the old role (#14 item 5).
            if (!request.Active || request.Role != before.Role) await sessions.EndAllAsync(uow, before.Role, id, null, ct);
            await audit.WriteAsync(uow, user, request.Active || !before.Active ? "staff.updated" : "staff.disabled", "staff", id,
                new { Before = before.ToResponse(), After = request }, clock.GetUtcNow(), ct);
            return 0;
        }, ct);
        return TypedResults.Ok((await store.GetAsync(id, ct))!.ToResponse());
    }

    static async Task<Results<NoContent, ProblemHttpResult>> ResetPassword(long id, ResetPasswordRequest request, CurrentUser user, StaffStore store,
        PasswordHashing hashing, AuditStore audit, SessionStore sessions, HttpContext http, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } account) return Problems.NotFound("Le compte", id);
        await db.WriteAsync(async uow =>
        {
            await store.SetPasswordAsync(uow, id, hashing.Hash(request.Password), ct);
            // Whoever knew the old password is signed out everywhere; the director's own current session stays.
            await sessions.EndAllAsync(uow, account.Role, id, SessionStore.IdOf(http.User), ct);
            await audit.WriteAsync(uow, user, "staff.passwordReset", "staff", id, new { account.Username }, clock.GetUtcNow(), ct);
            return 0;
        }, ct);
        return TypedResults.NoContent();
    }

    static async Task<ProblemHttpResult?> UnknownPlaceAsync(long? branchId, long? pickupPointId, BranchStore branches, PickupPointStore points,
        CancellationToken ct)
    {
        if (branchId is { } b && !await branches.ExistsAsync(b, ct)) return Problems.Field("branchId", $"La bibliothèque {b} n'existe pas.");
        if (pickupPointId is { } p && await points.GetAsync(p, ct) is null)
            return Problems.Field("homePickupPointId", $"Le point de retrait {p} n'existe pas.");
        return null;
    }
    static async Task<Results<NoContent, ProblemHttpResult>> Unlock(long id, SignInGuard guard, CancellationToken ct) =>
        await guard.UnlockAsync(SignInGuard.Accounts.Staff, id, ct) ? TypedResults.NoContent() : Problems.NotFound("Le compte", id);

    static async Task<Results<NoContent, ProblemHttpResult>> EndSessions(long id, CurrentUser user, StaffStore store, SessionStore sessions,
        AuditStore audit, HttpContext http, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await store.GetAsync(id, ct) is not { } account) return Problems.NotFound("Le compte", id);
        await db.WriteAsync(async uow =>
        {
            // A director ending their own sessions keeps the one they are using ("sign out everywhere else").
            var ended = await sessions.EndAllAsync(uow, account.Role, id, SessionStore.IdOf(http.User), ct);
            await audit.WriteAsync(uow, user, "staff.signedOut", "staff", id, new { account.Username, Sessions = ended }, clock.GetUtcNow(), ct);
            return 0;
        }, ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Ends the caller's session on the server (a shared library PC is the normal case, #14 item 5): the
    /// bearer token and the page cookie of that sign-in both stop working, even if copied elsewhere.
    /// Anonymous callers get the same 204: there is nothing to end.
    /// </summary>
    static async Task<NoContent> SignOut(HttpContext http, SessionStore sessions, CancellationToken ct)
    {
        if (SessionStore.IdOf(http.User) is { } session) await sessions.EndAsync(session, ct);
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }
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

internal sealed record CreateStaffRequest(string Username, string DisplayName, string Role, string Password, long? BranchId, long? HomePickupPointId = null);

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

internal sealed record UpdateStaffRequest(string DisplayName, string Role, long? BranchId, long? HomePickupPointId, bool Active);

internal sealed class UpdateStaffRequestValidator : AbstractValidator<UpdateStaffRequest>
{
    public UpdateStaffRequestValidator()
    {
        RuleFor(r => r.DisplayName).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Role).Must(Roles.IsStaffRole).WithMessage("Rôle attendu : counter, librarian ou director.");
    }
}

internal sealed record ResetPasswordRequest(string Password);

internal sealed class ResetPasswordRequestValidator : AbstractValidator<ResetPasswordRequest>
{
    public ResetPasswordRequestValidator() => RuleFor(r => r.Password).NotEmpty().MinimumLength(10).MaximumLength(200);
}
