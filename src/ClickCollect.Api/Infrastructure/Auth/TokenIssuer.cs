using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Infrastructure.Auth;

internal sealed record SignInResponse(string TokenType, string AccessToken, long ExpiresIn, string Role, string Name, string? CardNumber);

/// <summary>
/// Issues ASP.NET Core's built-in bearer tokens (data-protected tickets) for API clients, and the
/// same identity as a cookie for the pages.
/// </summary>
internal sealed class TokenIssuer(IOptionsMonitor<BearerTokenOptions> bearer, TimeProvider clock)
{
    /// <summary>A bearer token for <paramref name="user"/>.</summary>
    public SignInResponse Issue(CurrentUser user)
    {
        var options = bearer.Get(BearerTokenDefaults.AuthenticationScheme);
        var now = clock.GetUtcNow();
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + options.BearerTokenExpiration };
        var ticket = new AuthenticationTicket(user.ToPrincipal(BearerTokenDefaults.AuthenticationScheme), properties,
            BearerTokenDefaults.AuthenticationScheme);
        var token = options.BearerTokenProtector.Protect(ticket);
        return new SignInResponse("Bearer", token, (long)options.BearerTokenExpiration.TotalSeconds, user.Role, user.Name, user.CardNumber);
    }

    /// <summary>A bearer token for API clients, and the page cookie, for <paramref name="user"/>.</summary>
    public async Task<SignInResponse> SignInAsync(HttpContext http, CurrentUser user)
    {
        var now = clock.GetUtcNow();
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            user.ToPrincipal(CookieAuthenticationDefaults.AuthenticationScheme),
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + AuthSetup.CookieLifetime });
        return Issue(user);
    }
}
