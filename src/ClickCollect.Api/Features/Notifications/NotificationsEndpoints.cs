using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Notifications;

internal static class NotificationsEndpoints
{
    public static void AddNotifications(this IServiceCollection services)
    {
        DapperSetup.AddEnum<SmsStatus>();
        services.AddOptions<SmsOptions>().BindConfiguration(SmsOptions.Section)
            .Validate(o => o.MaxAttempts > 0 && o.Parallelism > 0, "Sms:MaxAttempts and Sms:Parallelism must be positive.")
            .Validate(o => o.RetryBaseDelay > TimeSpan.Zero && o.RetryMaxDelay >= o.RetryBaseDelay,
                "Sms:RetryBaseDelay must be positive and at most Sms:RetryMaxDelay.")
            .Validate(o => o.DispatchInterval > TimeSpan.Zero && o.ReminderInterval > TimeSpan.Zero && o.ConfirmationTimeout > TimeSpan.Zero,
                "Sms:DispatchInterval, Sms:ReminderInterval and Sms:ConfirmationTimeout must be positive.")
            .Validate<IOptions<TwilioOptions>>((o, twilio) => o.Lease >= 3 * twilio.Value.Timeout,
                "Sms:Lease must be at least three times Twilio:Timeout, or a slow send could outlive its claim.")
            .ValidateOnStart();
        services.AddOptions<TwilioOptions>().BindConfiguration(TwilioOptions.Section)
            .Validate(o => TwilioOptions.IsHttpUrl(o.BaseUrl), "Twilio:BaseUrl must be an http(s) URL.")
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicBaseUrl) || TwilioOptions.IsHttpUrl(o.PublicBaseUrl),
                "Twilio:PublicBaseUrl must be an http(s) URL.")
            .Validate(o => o.IsConfigured || (string.IsNullOrWhiteSpace(o.AccountSid) && string.IsNullOrWhiteSpace(o.AuthToken) && string.IsNullOrWhiteSpace(o.From)),
                "Twilio:AccountSid, Twilio:AuthToken and Twilio:From go together: set all three, or none to keep messages in the outbox.")
            .Validate(o => !o.IsConfigured || !string.IsNullOrWhiteSpace(o.PublicBaseUrl),
                "Twilio:PublicBaseUrl is required with Twilio: webhook signatures are checked against it, never against the Host header a caller sends.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Twilio:Timeout must be positive.")
            .ValidateOnStart();

        services.AddSingleton<OutboxStore>();
        services.AddSingleton<DispatchStore>();
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<InboxStore>();
        services.AddSingleton<Notify>();
        services.AddSingleton<InboundSms>();
        services.TryAddSingleton<ISmsSuspension, NoSmsSuspension>();
        // The dispatcher is a singleton that keeps its TwilioClient: connections are recycled by the
        // handler instead of by the factory (the documented way for typed clients held by singletons).
        // The Twilio SDK's TwilioRestClient runs on this HttpClient (PLATFORM.md: SystemNetHttpClient).
        services.AddTransient<TwilioBaseUrlHandler>();
        services.AddHttpClient<TwilioClient>((sp, http) => http.Timeout = sp.GetRequiredService<IOptions<TwilioOptions>>().Value.Timeout)
            .AddHttpMessageHandler<TwilioBaseUrlHandler>()
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddHostedService<SmsDispatcher>();
        services.AddHostedService<ReminderWorker>();
    }

    public static void MapSmsOutbox(this IEndpointRouteBuilder api)
    {
        var outbox = api.MapGroup("/sms-outbox").WithTags("Notifications").RequireAuthorization(Policies.Staff);
        outbox.MapGet("/", List).WithName("ListSmsOutbox")
            .WithSummary("The SMS outbox, newest first: filter by status, patron card and kind (so patrons without SMS can be phoned)");
    }

    // Minimal APIs bind enums case-sensitively ("Skipped"); the API speaks camelCase ("skipped", "notConfigured").
    static readonly Dictionary<string, SmsStatus> Statuses =
        Enum.GetValues<SmsStatus>().ToDictionary(s => DapperSetup.ToDb(s), StringComparer.OrdinalIgnoreCase);

    static async Task<Results<Ok<IReadOnlyList<OutboxItem>>, ProblemHttpResult>> List(
        string? status, string? patronCardNumber, string? kind, PatronStore patrons, OutboxStore outbox, CancellationToken ct)
    {
        SmsStatus? wanted = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Statuses.TryGetValue(status.Trim(), out var parsed))
                return Problems.Field("status", $"Statut inconnu « {status} » : {string.Join(", ", Statuses.Keys)}.");
            wanted = parsed;
        }
        long? patronId = null;
        if (!string.IsNullOrWhiteSpace(patronCardNumber))
        {
            if (await patrons.FindByCardAsync(patronCardNumber.Trim(), ct) is not { } patron)
                return Problems.Field("patronCardNumber", $"La carte {patronCardNumber} n'existe pas.");
            patronId = patron.Id;
        }
        return TypedResults.Ok(await outbox.ListAsync(new OutboxFilter(wanted, patronId, string.IsNullOrWhiteSpace(kind) ? null : kind.Trim()), ct));
    }
}
