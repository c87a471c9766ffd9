using System.Security.Cryptography;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;

namespace ClickCollect.Api.Features.Ils;

/// <summary>
/// Patron sign-in judged by the library system (Patrons:Authentication=sip2, issue #13): the card
/// number and PIN go in a Patron Information request, and the patron is signed in only when the
/// answer says valid patron (BL Y) and valid password (CQ Y). The local patron is created or
/// brought up to date from the answer (name, phone, email, blocks); the PIN is never stored. The
/// lockout of <see cref="SignInGuard"/> wraps the check, on the local patron row.
/// </summary>
internal sealed class Sip2PatronAuthenticator(LibrarySystem ils, PatronStore store, SignInGuard guard, PasswordHashing hashing, Db db, TimeProvider clock)
    : IPatronAuthenticator
{
    public async Task<PatronSignInOutcome> SignInAsync(string cardNumber, string pin, CancellationToken ct)
    {
        try
        {
            IlsPatron? answer = null;
            var credentials = await store.FindCredentialsAsync(cardNumber, ct);
            if (credentials is null)
            {
                // Unknown here: a lockout needs a row, so a card the library system knows gets one first.
                // The per-address throttle still comes first, and an unknown card counts against it (#14).
                if (await guard.ThrottledAsync(ct) is { } throttled) return PatronSignInOutcome.From(throttled, null);
                answer = await ils.PatronInformationAsync(cardNumber, pin, ct);
                if (!answer.ValidPatron)
                {
                    await guard.CountFailureAsync(ct);
                    return new PatronSignInOutcome.Rejected();
                }
                await SyncAsync(cardNumber, answer, ct);
                credentials = await store.FindCredentialsAsync(cardNumber, ct);
            }
            var outcome = await guard.CheckAsync(SignInGuard.Accounts.Patrons, credentials, async c =>
            {
                answer ??= await ils.PatronInformationAsync(cardNumber, pin, c);
                return answer.ValidPatron && answer.ValidPassword;
            }, ct);
            if (outcome is SignInGuard.Outcome.Accepted) await SyncAsync(cardNumber, answer!, ct);
            return PatronSignInOutcome.From(outcome, credentials?.Id);
        }
        catch (IlsUnavailableException)
        {
            return new PatronSignInOutcome.Unavailable(
                "Le système de la bibliothèque ne répond pas : la connexion est impossible pour le moment. Réessayez dans quelques minutes.");
        }
    }

    Task SyncAsync(string cardNumber, IlsPatron answer, CancellationToken ct)
    {
        var (first, last) = SplitName(answer.Name, cardNumber);
        var phone = PhoneNumber.Normalise(answer.Phone);
        var email = string.IsNullOrWhiteSpace(answer.Email) ? null : answer.Email.Trim();
        return db.WriteAsync(uow => store.SyncFromLibrarySystemAsync(uow,
            new NewPatron(cardNumber, unusablePinHash, first, last, phone, email, false, null, clock.GetUtcNow()), answer.BlockedReason(), ct), ct);
    }

    // A row needs a PIN hash; this one is the hash of a random secret nobody knows, so a local check can never pass.
    readonly string unusablePinHash = hashing.Hash(RandomNumberGenerator.GetHexString(32));

    /// <summary>"Surname, Forenames" (the usual SIP2 form) or "Forenames Surname"; the card number when the name is empty.</summary>
    internal static (string First, string Last) SplitName(string? name, string cardNumber)
    {
        var n = (name ?? "").Trim();
        if (n.Length == 0) return ("", cardNumber);
        var comma = n.IndexOf(',');
        if (comma >= 0) return (n[(comma + 1)..].Trim(), n[..comma].Trim());
        var space = n.LastIndexOf(' ');
        return space < 0 ? ("", n) : (n[..space].Trim(), n[(space + 1)..]);
    }
}
