using ClickCollect.Api.Infrastructure.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using ClickCollect.Api.Features.Patrons;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Ils;

internal static class IlsEndpoints
{
    public static void AddIls(this IServiceCollection services)
    {
        services.AddOptions<IlsOptions>().BindConfiguration(IlsOptions.Section)
            .Validate(o => o.IsSip2 || o.Provider.Equals("none", StringComparison.OrdinalIgnoreCase), "Ils:Provider must be none or sip2.")
            .Validate(o => o.OutboxInterval >= TimeSpan.FromSeconds(1), "Ils:OutboxInterval must be at least a second.")
            .Validate(o => o.OutboxLease >= TimeSpan.FromSeconds(10), "Ils:OutboxLease must be at least 10 seconds.")
            .ValidateOnStart();
        services.AddOptions<Sip2Options>().BindConfiguration(Sip2Options.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero, "Sip2:Timeout must be positive.")
            .Validate(o => o.Retries is >= 0 and <= 10, "Sip2:Retries must be between 0 and 10.")
            .Validate(o => o.MaxConnections is >= 1 and <= 64, "Sip2:MaxConnections must be between 1 and 64.")
            .Validate(o => o.Port is > 0 and < 65536, "Sip2:Port must be a TCP port.")
            .Validate(o => KnownEncoding(o.Encoding), "Sip2:Encoding must be an encoding name such as utf-8 or windows-1252.")
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<Sip2Options>, Sip2HostRequired>();
        services.AddSingleton<Sip2Client>();
        services.AddSingleton<LibrarySystem>();
        services.AddSingleton<Sip2PatronAuthenticator>();
        services.AddSingleton<IlsOutboxStore>();
        services.AddSingleton<IlsTransactions>();
        services.AddSingleton<IlsItemCheck>();
        services.AddHostedService<IlsOutboxWorker>();
    }

    public static void MapIls(this IEndpointRouteBuilder api)
    {
        api.MapGet("/ils/outbox", Outbox).WithTags("Library system").WithName("IlsOutbox")
            .WithSummary("Checkouts and checkins still waiting for the library system (SIP2), and those it refused")
            .RequireAuthorization(Policies.Staff);
    }

    internal sealed record IlsOutboxLine(long Id, string Kind, string? CardNumber, string Barcode, DateTimeOffset OccurredAt, int Attempts,
        string Status, string? Error);

    internal sealed record IlsOutboxResponse(string Provider, int Pending, IReadOnlyList<IlsOutboxLine> Lines);

    static async Task<Ok<IlsOutboxResponse>> Outbox(IlsOutboxStore outbox, IOptions<IlsOptions> options, CancellationToken ct)
    {
        var rows = await outbox.WaitingOrRefusedAsync(200, ct);
        return TypedResults.Ok(new IlsOutboxResponse(options.Value.Provider.ToLowerInvariant(), rows.Count(r => r.SentAt is null),
            rows.Select(r => new IlsOutboxLine(r.Id, r.Kind, r.CardNumber, r.Barcode, r.OccurredAt, r.Attempts,
                r.SentAt is null ? "pending" : "refused", r.Error)).ToList()));
    }

    static bool KnownEncoding(string name)
    {
        try
        {
            Sip2Client.EncodingOf(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>With Ils:Provider=sip2 or Patrons:Authentication=sip2 the server must be named.</summary>
    sealed class Sip2HostRequired(IOptions<IlsOptions> ils, IOptions<PatronOptions> patrons) : IValidateOptions<Sip2Options>
    {
        public ValidateOptionsResult Validate(string? name, Sip2Options options) =>
            (ils.Value.IsSip2 || patrons.Value.UsesSip2) && string.IsNullOrWhiteSpace(options.Host)
                ? ValidateOptionsResult.Fail("Sip2:Host is required when Ils:Provider or Patrons:Authentication is sip2.")
                : ValidateOptionsResult.Success;
    }
}
