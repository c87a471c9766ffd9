using ClickCollect.Api.Infrastructure.OpenApi;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using ClickCollect.Api.Infrastructure.Database;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

namespace ClickCollect.Api.Infrastructure.Auth;

internal static class AuthSetup
{
    const string Scheme = "BearerOrCookie";
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(10);

    public static void AddClickCollectAuth(this WebApplicationBuilder builder)
    {
        // Keys outlive a restart so issued tokens and cookies stay valid, and live in the database so that
        // every instance on it reads the tokens and cookies any other one issued (#18 item 1).
        builder.Services.AddDataProtection().SetApplicationName("ClickCollect");
        if (!BuildTime.IsGeneratingOpenApiDocument)
            builder.Services.AddOptions<KeyManagementOptions>().Configure<Db, TimeProvider>((o, db, clock) => o.XmlRepository = new DataProtectionKeyStore(db, clock));

        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, Scheme, o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenDefaults.AuthenticationScheme
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddBearerToken(o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromHours(10);
                // RFC 9110 §11.1: the scheme name is case-insensitive; the handler only reads "Bearer " (#14).
                o.Events.OnMessageReceived = c =>
                {
                    var header = c.Request.Headers.Authorization.ToString();
                    if (header.Length > 7 && header.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase)) c.Token = header[7..].Trim();
                    return Task.CompletedTask;
                };
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = Http.BrowserSafety.CookieName;
                o.Cookie.HttpOnly = true;
                // Secure whenever the request is HTTPS (as the proxy says, ReverseProxy), so the cookie never
                // travels in clear once the site is served over HTTPS.
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // Strict: the cookie never rides on a request started by another site, so pages can call
                // the API with it without a CSRF token.
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = CookieLifetime;
                // An API answers 401/403 problems; it never redirects to a sign-in page.
                o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
            });
        // After the default ticket format is set up: tokens already read are answered from memory (RememberedTickets, #17).
        builder.Services.AddOptions<BearerTokenOptions>(BearerTokenDefaults.AuthenticationScheme).PostConfigure<TimeProvider>((o, clock) =>
        {
            if (o.BearerTokenProtector is not RememberedTickets) o.BearerTokenProtector = new RememberedTickets(o.BearerTokenProtector, clock);
        });
        Policies.Add(builder.Services.AddAuthorizationBuilder());
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddHostedService<SessionsListener>();
        builder.Services.AddSingleton<PasswordHashing>();
    }
}
