using ClickCollect.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace ClickCollect.Api.Infrastructure.Auth;

internal static class AuthSetup
{
    const string Scheme = "BearerOrCookie";
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(10);

    public static void AddClickCollectAuth(this WebApplicationBuilder builder)
    {
        // Keys outlive a restart so issued tokens and cookies stay valid. Several instances (PostgreSQL
        // deployments) must share this folder. REVIEW: store the key ring in the database for scale-out.
        var keys = builder.Configuration["DataProtection:KeysDirectory"] ?? Path.Combine("data", "keys");
        var protection = builder.Services.AddDataProtection().SetApplicationName("ClickCollect");
        if (!BuildTime.IsGeneratingOpenApiDocument) protection.PersistKeysToFileSystem(new DirectoryInfo(keys));

        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, Scheme, o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddBearerToken(o => o.BearerTokenExpiration = TimeSpan.FromHours(10))
            .AddCookie(o =>
            {
                o.Cookie.Name = "clickcollect";
                o.Cookie.HttpOnly = true;
                // Strict: the cookie never rides on a request started by another site, so pages can call
                // the API with it without a CSRF token.
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = CookieLifetime;
                // An API answers 401/403 problems; it never redirects to a sign-in page.
                o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
            });
        Policies.Add(builder.Services.AddAuthorizationBuilder());
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<PasswordHashing>();
    }
}
