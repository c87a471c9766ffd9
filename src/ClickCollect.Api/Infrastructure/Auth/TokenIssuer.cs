using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Infrastructure.Auth;

internal sealed record SignInResponse(string TokenType, string AccessToken, long ExpiresIn, string Role, string Name, string? CardNumber);

/// <summary>
/// Issues ASP.NET Core's built-in bearer tokens (data-protected tickets) for API clients, and the
/// same identity as a cookie for the pages. Both belong to one server-side session (#14 item 5), so
/// signing out ends the token and the cookie together.
/// </summary>
internal sealed class TokenIssuer(IOptionsMonitor<BearerTokenOptions> bearer, SessionStore sessions, TimeProvider clock)
{
    /// <summary>A bearer token for <paramref name="user"/>, in a new session.</summary>
    public async Task<SignInResponse> IssueAsync(CurrentUser user, CancellationToken ct)
    {
        var lifetime = bearer.Get(BearerTokenDefaults.AuthenticationScheme).BearerTokenExpiration;
        var session = await sessions.StartAsync(user, clock.GetUtcNow() + lifetime, ct);
        return Token(user, session);
    }

    SignInResponse Token(CurrentUser user, string session)
    {
        var options = bearer.Get(BearerTokenDefaults.AuthenticationScheme);
        var now = clock.GetUtcNow();
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.BearerTokenExpiration };
        var ticket = new AuthenticationTicket(user.ToPrincipal(BearerTokenDefaults.AuthenticationScheme, session), properties,
            BearerTokenDefaults.AuthenticationScheme);
        var token = options.BearerTokenProtector.Protect(ticket);
        return new SignInResponse("Bearer", token, (long)options.BearerTokenExpiration.TotalSeconds, user.Role, user.Name, user.CardNumber);
    }

    /// <summary>A bearer token for API clients, and the page cookie, for <paramref name="user"/>: one session for both.</summary>
    public async Task<SignInResponse> SignInAsync(HttpContext http, CurrentUser user, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var lifetime = bearer.Get(BearerTokenDefaults.AuthenticationScheme).BearerTokenExpiration;
        var expires = now + (lifetime > AuthSetup.CookieLifetime ? lifetime : AuthSetup.CookieLifetime);
        var session = await sessions.StartAsync(user, expires, ct);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            user.ToPrincipal(CookieAuthenticationDefaults.AuthenticationScheme, session),
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + AuthSetup.CookieLifetime });
        return Token(user, session);
    }
}
