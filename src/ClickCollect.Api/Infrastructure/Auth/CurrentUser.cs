using System.Security.Claims;

namespace ClickCollect.Api.Infrastructure.Auth;

/// <summary>The caller, as the access token or the page cookie says. Bind it as a handler parameter.</summary>
internal sealed record CurrentUser(long Id, string Role, string Name, string? CardNumber)
{
    public bool IsStaff => Roles.IsStaffRole(Role);
    public bool IsPatron => Role == Roles.Patron;

    /// <param name="sessionId">The server-side session the ticket belongs to (<see cref="SessionStore"/>).</param>
    public ClaimsPrincipal ToPrincipal(string scheme, string sessionId)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Role, Role),
            new(ClaimTypes.Name, Name),
        };
        if (CardNumber is not null) claims.Add(new("card_number", CardNumber));
        claims.Add(new(SessionStore.ClaimType, sessionId));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static CurrentUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        if (!long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) return null;
        var role = principal.FindFirstValue(ClaimTypes.Role);
        if (role is null) return null;
        return new CurrentUser(id, role, principal.FindFirstValue(ClaimTypes.Name) ?? "", principal.FindFirstValue("card_number"));
    }

    /// <summary>Minimal APIs call this to bind a <see cref="CurrentUser"/> parameter; routes using it require sign-in.</summary>
    public static ValueTask<CurrentUser?> BindAsync(HttpContext http) => ValueTask.FromResult(From(http.User));
}
