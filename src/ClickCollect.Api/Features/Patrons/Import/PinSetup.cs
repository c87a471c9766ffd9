using System.Security.Cryptography;
using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Patrons.Import;

internal sealed record PinCodeResponse(string CardNumber, string Code, DateTimeOffset ExpiresAt);

internal sealed record SetPinRequest(string CardNumber, string Code, string Pin);

internal sealed class SetPinRequestValidator : AbstractValidator<SetPinRequest>
{
    public SetPinRequestValidator()
    {
        RuleFor(r => r.CardNumber).NotEmpty().MaximumLength(40);
        RuleFor(r => r.Code).NotEmpty().MaximumLength(40);
        RuleFor(r => r.Pin).NotEmpty().Matches("^[0-9]{4,8}$").WithMessage("Le code PIN compte 4 à 8 chiffres.");
    }
}

/// <summary>
/// Setting a PIN with a one-time code (issue 12, item 5): a patron imported from the library system has
/// no PIN, and one who forgot theirs needs a new one. Staff who have checked who the reader is (at the
/// desk, or on the phone) issue a code and hand it over; the reader types the card number, the code and
/// a PIN of their choice, and is signed in. Nothing a stranger can know or guess is enough: card
/// numbers are printed on cards and often sequential, birth dates and names are easy to find. The code
/// is 10 characters from 31 (about 49 bits), kept hashed, valid <see cref="PatronOptions.PinCodeValidity"/>,
/// good once (setting the PIN clears it), and tried under the sign-in lockout and rate limit.
/// With <c>Patrons:Authentication=sip2</c> the library system keeps the PIN, and both routes refuse.
/// </summary>
internal static class PinSetup
{
    const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I/L: read aloud or copied by hand

    public static void MapPinSetup(this RouteGroupBuilder patrons)
    {
        patrons.MapPost("/{cardNumber}/pin-code", Issue).WithName("IssuePatronPinCode")
            .WithSummary("A one-time code with which the patron sets their PIN (first sign-in or forgotten PIN); staff hand it over after checking who the reader is")
            .RequireAuthorization(Policies.Staff).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        patrons.MapPost("/pin", SetPin).WithName("SetPatronPin")
            .WithSummary("Set a PIN with the card number and the one-time code from the library; answers as a sign-in")
            .AllowAnonymous().RequireRateLimiting(RateLimiting.SignIn).WithValidation<SetPinRequest>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    /// <summary>"ABCDE-FGHJK" as typed any way: case, spaces and dashes do not matter.</summary>
    internal static string Normalise(string code) => new(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());

    const string IssueSql = """
        update patrons set pin_code_hash = @Hash, pin_code_expires_at = @ExpiresAt
        where upper(card_number) = upper(@CardNumber) and not anonymous and deactivated_at is null
        returning id
        """;

    static async Task<Results<Ok<PinCodeResponse>, ProblemHttpResult>> Issue(string cardNumber, CurrentUser user, PatronStore patrons,
        PasswordHashing hashing, IOptions<PatronOptions> options, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (options.Value.UsesSip2) return ManagedByLibrarySystem();
        if (await patrons.FindByCardAsync(cardNumber, ct) is not { } patron) return Problems.NotFound("La carte", cardNumber);
        var code = RandomNumberGenerator.GetString(Alphabet, 10);
        var now = clock.GetUtcNow();
        var expiresAt = now + options.Value.PinCodeValidity;
        var issued = await db.WriteAsync(async uow =>
        {
            var id = await uow.QuerySingleOrDefaultAsync<long?>(IssueSql, new { Hash = hashing.Hash(code), ExpiresAt = expiresAt, patron.CardNumber }, ct);
            if (id is not null) await audit.WriteAsync(uow, user, "patrons.pinCodeIssued", "patrons", id, new { ExpiresAt = expiresAt }, now, ct);
            return id is not null;
        }, ct);
        if (!issued)
            return Problems.Conflict("patron_deactivated", "Lecteur désactivé",
                $"La carte {patron.CardNumber} n'est plus dans l'export du système de la bibliothèque : réactivez-la là-bas d'abord.");
        return TypedResults.Ok(new PinCodeResponse(patron.CardNumber, $"{code[..5]}-{code[5..]}", expiresAt));
    }

    const string CredentialsSql = """
        select id, pin_code_hash as hash, locked_until from patrons
        where upper(card_number) = upper(@CardNumber) and not anonymous and deactivated_at is null
          and pin_code_hash is not null and pin_code_expires_at > @Now
        """;
    const string SetSql = """
        update patrons set pin_hash = @PinHash, pin_code_hash = null, pin_code_expires_at = null
        where id = @Id and pin_code_hash = @CodeHash
        """;

    static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> SetPin(SetPinRequest request, PatronStore patrons, SignInGuard guard,
        PasswordHashing hashing, IOptions<PatronOptions> options, TokenIssuer tokens, SessionStore sessions, Db db, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        if (options.Value.UsesSip2) return ManagedByLibrarySystem();
        SignInGuard.Credentials? credentials;
        await using (var c = await db.OpenAsync(ct))
            credentials = await c.QuerySingleOrDefaultAsync<SignInGuard.Credentials>(new CommandDefinition(CredentialsSql,
                new { CardNumber = request.CardNumber.Trim(), Now = clock.GetUtcNow() }, cancellationToken: ct));
        // An unknown card, a used or expired code and a wrong one all get the same answer (and the same cost).
        switch (await guard.CheckAsync(SignInGuard.Accounts.Patrons, credentials, Normalise(request.Code), ct))
        {
            case SignInGuard.Outcome.Throttled(var retryAfter):
                return Problems.SignInThrottled(http, retryAfter);
            case SignInGuard.Outcome.Locked(var until):
                return Problems.AccountLocked(until);
            case not SignInGuard.Outcome.Accepted:
                return Problems.Create(StatusCodes.Status401Unauthorized, "pin_code_invalid", "Code non valable",
                    "Carte ou code incorrect, ou code expiré ou déjà utilisé. Demandez un nouveau code à votre bibliothèque.");
        }
        var (patronId, codeHash) = (credentials!.Id, credentials.Hash);
        var set = await db.WriteAsync(async uow =>
        {
            var set = await uow.ExecuteAsync(SetSql, new { PinHash = hashing.Hash(request.Pin), Id = patronId, CodeHash = codeHash }, ct);
            // A new PIN ends the sessions started with the old one (#14 item 5): a forgotten PIN may have been someone else's to use.
            if (set == 1) await sessions.EndAllAsync(uow, Roles.Patron, patronId, null, ct);
            return set;
        }, ct);
        if (set != 1) // the same code used twice at once: the other request set the PIN
            return Problems.Create(StatusCodes.Status401Unauthorized, "pin_code_invalid", "Code non valable", "Ce code vient d'être utilisé.");
        var row = (await patrons.GetAsync(patronId, ct))!;
        return TypedResults.Ok(await tokens.SignInAsync(http, new CurrentUser(row.Id, Roles.Patron, $"{row.FirstName} {row.LastName}", row.CardNumber), ct));
    }

    static ProblemHttpResult ManagedByLibrarySystem() =>
        Problems.Conflict("pin_managed_by_library_system", "PIN géré par le système de la bibliothèque",
            "Les lecteurs se connectent avec le code PIN du système de la bibliothèque : c'est là qu'il se change.");
}
