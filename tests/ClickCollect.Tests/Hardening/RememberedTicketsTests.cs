using System.Security.Claims;
using ClickCollect.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Time.Testing;

namespace ClickCollect.Tests.Hardening;

/// <summary>
/// #17: a bearer token already read is answered from memory (its reading was about 5 % of a booking's CPU). Signing out
/// still ends it at once: <see cref="SessionTests{TDb}"/> reuses tokens read before the sign-out and gets 401.
/// </summary>
public sealed class RememberedTicketsTests
{
    sealed class CountingFormat : ISecureDataFormat<AuthenticationTicket>
    {
        public int Reads;
        public bool AnyName;

        public string Protect(AuthenticationTicket data) => Protect(data, null);
        public string Protect(AuthenticationTicket data, string? purpose) => data.Principal.Identity!.Name!;
        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Reads++;
            return protectedText is "good" or "other" || (AnyName && !string.IsNullOrEmpty(protectedText))
                ? new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, protectedText)], "Bearer")), "Bearer")
                : null;
        }
    }

    [Fact]
    public void A_token_is_read_once_then_answered_from_memory_as_a_copy_for_a_few_minutes()
    {
        var (inner, clock) = (new CountingFormat(), new FakeTimeProvider());
        var tickets = new RememberedTickets(inner, clock);

        var first = tickets.Unprotect("good")!;
        var second = tickets.Unprotect("good")!;
        Assert.Equal(1, inner.Reads);
        Assert.Equal("good", second.Principal.Identity!.Name);
        Assert.NotSame(first.Principal, second.Principal); // a copy: a change to one request's principal reaches no other
        Assert.Equal("other", tickets.Unprotect("other")!.Principal.Identity!.Name);
        Assert.Equal(2, inner.Reads);

        clock.Advance(RememberedTickets.Lifetime);
        tickets.Unprotect("good");
        Assert.Equal(3, inner.Reads); // read again once its time in memory is over
    }

    [Fact]
    public void Past_its_capacity_the_memory_is_emptied_rather_than_grown()
    {
        var inner = new CountingFormat { AnyName = true };
        var tickets = new RememberedTickets(inner, new FakeTimeProvider());
        for (var i = 0; i < RememberedTickets.Capacity; i++) tickets.Unprotect($"token {i}");
        Assert.Equal(RememberedTickets.Capacity, tickets.Count);

        tickets.Unprotect("one more");
        Assert.Equal(1, tickets.Count);
        tickets.Unprotect("token 0");
        Assert.Equal(RememberedTickets.Capacity + 2, inner.Reads); // forgotten with the rest: read again
    }

    [Fact]
    public void A_token_that_cannot_be_read_is_refused_every_time_and_never_remembered()
    {
        var inner = new CountingFormat();
        var tickets = new RememberedTickets(inner, new FakeTimeProvider());
        Assert.Null(tickets.Unprotect("forged"));
        Assert.Null(tickets.Unprotect("forged"));
        Assert.Null(tickets.Unprotect(""));
        Assert.Equal(3, inner.Reads);
    }
}
