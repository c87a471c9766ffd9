using ClickCollect.Api.Infrastructure.Caching;
using Microsoft.AspNetCore.Authentication;

namespace ClickCollect.Api.Infrastructure.Auth;

/// <summary>
/// The bearer token's ticket format, remembering the tickets it has already read (#17). A bearer token is a
/// data-protected ticket: reading one derives its keys (SP800-108 over HMAC-SHA512), checks its MAC and
/// decrypts it, about 5 % of a booking's CPU in the profile of <c>make bench</c>, on every request of a
/// client that sends the same token again and again. A token read once is answered from memory for a few
/// minutes, as a copy (nobody can change the remembered one).
/// </summary>
/// <remarks>
/// Nothing is honoured longer than before: the handler still refuses a ticket past its expiry, and every
/// authenticated request still checks its server-side session (<see cref="SessionStore.CheckAsync"/>), so
/// signing out ends a token at once, remembered or not. Only tokens that were read successfully are
/// remembered (a forged one costs its reading every time, as before), at most <see cref="Capacity"/> of
/// them, each for <see cref="Lifetime"/> (a data-protection key revoked by hand stops being honoured after
/// that at most, on top of the session check).
/// </remarks>
internal sealed class RememberedTickets(ISecureDataFormat<AuthenticationTicket> inner, TimeProvider clock) : ISecureDataFormat<AuthenticationTicket>
{
    public const int Capacity = 10_000;
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    readonly BoundedMemory<(AuthenticationTicket Ticket, DateTimeOffset Until)> read = new(Capacity);

    /// <summary>Tickets in memory now (for tests).</summary>
    internal int Count => read.Count;

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText)) return inner.Unprotect(protectedText, purpose);
        var key = purpose is null ? protectedText : $"{purpose}\n{protectedText}";
        var now = clock.GetUtcNow();
        if (read.TryGet(key, out var known) && known.Until > now) return known.Ticket.Clone();
        var ticket = inner.Unprotect(protectedText, purpose);
        if (ticket is null)
        {
            read.Forget(key);
            return null;
        }
        read.Remember(key, (ticket.Clone(), now + Lifetime));
        return ticket;
    }
}
