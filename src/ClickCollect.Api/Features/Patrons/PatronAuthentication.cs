using ClickCollect.Api.Infrastructure.Auth;

namespace ClickCollect.Api.Features.Patrons;

/// <summary>How patrons sign in; section "Patrons".</summary>
internal sealed class PatronOptions
{
    public const string Section = "Patrons";

    /// <summary>
    /// <c>local</c>: the PIN is checked against the hash kept here. <c>sip2</c>: the card number and PIN
    /// go to the library system (issue #13), which is then the only judge; no PIN is kept here.
    /// </summary>
    public string Authentication { get; set; } = "local";

    /// <summary>How long a one-time code for setting a PIN (first sign-in, forgotten PIN) stays good.</summary>
    public TimeSpan PinCodeValidity { get; set; } = TimeSpan.FromDays(14);

    public bool UsesSip2 => Authentication.Equals("sip2", StringComparison.OrdinalIgnoreCase);
}

internal abstract record PatronSignInOutcome
{
    public sealed record Accepted(long PatronId) : PatronSignInOutcome;
    public sealed record Rejected : PatronSignInOutcome;
    public sealed record Locked(DateTimeOffset Until) : PatronSignInOutcome;

    /// <summary>Too many failed sign-ins from this client address, whatever the card (#14): 429.</summary>
    public sealed record Throttled(TimeSpan RetryAfter) : PatronSignInOutcome;

    /// <summary>The judge of the PIN cannot be reached: nobody is signed in.</summary>
    public sealed record Unavailable(string Message) : PatronSignInOutcome;

    public static PatronSignInOutcome From(SignInGuard.Outcome outcome, long? patronId) => outcome switch
    {
        SignInGuard.Outcome.Accepted => new Accepted(patronId!.Value),
        SignInGuard.Outcome.Locked(var until) => new Locked(until),
        SignInGuard.Outcome.Throttled(var retryAfter) => new Throttled(retryAfter),
        _ => new Rejected(),
    };
}

/// <summary>
/// Checks a card number and PIN. Chosen once by <c>Patrons:Authentication</c>; every implementation
/// goes through <see cref="SignInGuard"/>, so the lockout is the same whoever judges the PIN.
/// </summary>
internal interface IPatronAuthenticator
{
    Task<PatronSignInOutcome> SignInAsync(string cardNumber, string pin, CancellationToken ct);
}

/// <summary>The PIN hash kept in <c>patrons.pin_hash</c>.</summary>
internal sealed class LocalPatronAuthenticator(PatronStore store, SignInGuard guard) : IPatronAuthenticator
{
    public async Task<PatronSignInOutcome> SignInAsync(string cardNumber, string pin, CancellationToken ct)
    {
        var credentials = await store.FindCredentialsAsync(cardNumber, ct);
        return PatronSignInOutcome.From(await guard.CheckAsync(SignInGuard.Accounts.Patrons, credentials, pin, ct), credentials?.Id);
    }
}
