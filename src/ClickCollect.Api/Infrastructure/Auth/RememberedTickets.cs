using System.Collections.Concurrent;
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

    readonly ConcurrentDictionary<string, (AuthenticationTicket Ticket, DateTimeOffset Until)> read = new(StringComparer.Ordinal);

    // Tickets remembered since the memory was last emptied (a token read again after its time counts twice: the bound
    // only needs to hold roughly). Not read.Count: ConcurrentDictionary.Count takes every one of the dictionary's locks,
    // and under 64 connections the threads queued on them (a wall-clock profile of make bench's booking run on SQLite,
    // #17: 1,280 samples waiting in Count against 335 reading the tickets themselves, the largest lock wait of the run).
    int remembered;

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
        if (read.TryGetValue(key, out var known) && known.Until > now) return known.Ticket.Clone();
        var ticket = inner.Unprotect(protectedText, purpose);
        if (ticket is null)
        {
            read.TryRemove(key, out _);
            return null;
        }
        if (Interlocked.Increment(ref remembered) > Capacity)
        {
            // Rare: more live tokens than that in a few minutes; they are read again.
            read.Clear();
            Interlocked.Exchange(ref remembered, 1);
        }
        read[key] = (ticket.Clone(), now + Lifetime);
        return ticket;
    }
}
