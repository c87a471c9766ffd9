using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace ClickCollect.Api.Infrastructure.Http;

/// <summary>The reverse proxies in front of ClickCollect (section "ReverseProxy", #14 item 3).</summary>
internal sealed class ReverseProxyOptions
{
    public const string Section = "ReverseProxy";

    /// <summary>
    /// Addresses (e.g. <c>10.0.0.5</c>) or networks (<c>10.0.0.0/24</c>) of the proxies whose
    /// X-Forwarded-For and X-Forwarded-Proto are believed. Empty (the default): the headers are ignored
    /// from everyone, and the client address is the connection's.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];
}

internal static class ReverseProxy
{
    public static void AddClickCollectReverseProxy(this WebApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection(ReverseProxyOptions.Section).Get<ReverseProxyOptions>()?.KnownProxies ?? [];
        builder.AddClickCollectHttpsRedirection();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // With both lists empty the middleware believes every sender, so no proxy configured means
            // no forwarded header read at all.
            o.ForwardedHeaders = proxies.Any(p => !string.IsNullOrWhiteSpace(p))
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto
                : ForwardedHeaders.None;
            // Only the configured proxies: not even loopback by default, so nobody can claim an address.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.Where(p => !string.IsNullOrWhiteSpace(p)))
            {
                if (proxy.Contains('/', StringComparison.Ordinal)) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy.Trim()));
                else o.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
            }
            o.ForwardLimit = Math.Max(1, proxies.Length);
        });
    }

    /// <summary>
    /// Where plain HTTP is sent: behind a proxy the app cannot see an HTTPS port of its own, and without
    /// one the redirect middleware does nothing, so 443 unless HTTPS_PORT says otherwise.
    /// </summary>
    public static void AddClickCollectHttpsRedirection(this WebApplicationBuilder builder) =>
        builder.Services.AddHttpsRedirection(o => o.HttpsPort =
            builder.Configuration.GetValue<int?>("HTTPS_PORT") ?? builder.Configuration.GetValue<int?>("ASPNETCORE_HTTPS_PORT") ?? 443);

    /// <summary>Forwarded headers first; outside Development and tests, HSTS and a redirect to HTTPS.</summary>
    public static void UseClickCollectReverseProxy(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (app.Environment.IsDevelopment() || app.Environment.IsEnvironment("Testing")) return;
        app.UseHsts();
        app.UseHttpsRedirection();
    }
}
