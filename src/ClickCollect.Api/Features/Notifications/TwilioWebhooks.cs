using System.Security;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>
/// What Twilio calls: delivery reports and inbound SMS. Anonymous, but every call must carry a valid
/// X-Twilio-Signature (403 otherwise, and always when no auth token is configured). Form posts from
/// another site: antiforgery does not apply (PLATFORM.md: binding IFormCollection needs DisableAntiforgery).
/// </summary>
internal static class TwilioWebhooks
{
    public const string StatusPath = "/webhooks/twilio/status";
    public const string InboundPath = "/webhooks/twilio/sms";

    static readonly string[] FormTypes = ["multipart/form-data", "application/x-www-form-urlencoded"];

    public static void MapTwilioWebhooks(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("").WithTags("Webhooks").AllowAnonymous().DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        hooks.MapPost(StatusPath, Status).WithName("TwilioStatusCallback").Accepts<IFormCollection>(FormTypes[0], FormTypes[1..])
            .WithSummary("Twilio delivery report (signed): MessageSid, MessageStatus, ErrorCode");
        hooks.MapPost(InboundPath, Inbound).WithName("TwilioInboundSms").Accepts<IFormCollection>(FormTypes[0], FormTypes[1..])
            .WithSummary("Inbound SMS (signed): ICI, ANNULER, OUI, STOP, START; answers TwiML")
            .Produces<string>(StatusCodes.Status200OK, "text/xml");
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Status(
        long? id, HttpRequest request, OutboxStore outbox, IOptions<TwilioOptions> options, TimeProvider clock,
        ILoggerFactory logs, CancellationToken ct)
    {
        var form = await ReadFormAsync(request, ct);
        if (!IsSigned(request, form, options.Value)) return Forbidden();
        var sid = First(form, "MessageSid") ?? First(form, "SmsSid");
        var providerStatus = First(form, "MessageStatus") ?? First(form, "SmsStatus");
        if (sid is null || providerStatus is null || ToStatus(providerStatus) is not { } status) return TypedResults.NoContent();
        var error = int.TryParse(First(form, "ErrorCode"), out var code) ? TwilioErrors.Describe(code, null) : null;
        if (!await outbox.RecordReportAsync(sid, id, status, providerStatus, error, clock.GetUtcNow(), ct))
            logs.CreateLogger(nameof(TwilioWebhooks)).LogInformation("Delivery report {Status} for {Sid}: no message in flight matches", providerStatus, sid);
        return TypedResults.NoContent();
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> Inbound(
        HttpRequest request, InboundSms inbound, IOptions<TwilioOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var form = await ReadFormAsync(request, ct);
        if (!IsSigned(request, form, options.Value)) return Forbidden();
        var from = Patrons.PhoneNumber.TryNormalise(First(form, "From"), out var e164) ? e164 : null;
        var sid = First(form, "MessageSid") ?? First(form, "SmsSid");
        var reply = from is null ? Messages.UnknownNumber : await inbound.AnswerAsync(from, First(form, "Body"), sid, clock.GetUtcNow(), ct);
        return TypedResults.Content(reply is null ? EmptyTwiML : TwiML(reply), "text/xml; charset=utf-8");
    }

    /// <summary>
    /// The posted form, read here rather than bound as a parameter: the generated request delegate answers a body
    /// that is not a form with a 500, where binding by reflection answered 415 (and 400 for a malformed form).
    /// </summary>
    static async Task<IFormCollection> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            throw new BadHttpRequestException("The body must be a form (application/x-www-form-urlencoded).", StatusCodes.Status415UnsupportedMediaType);
        try { return await request.ReadFormAsync(ct); }
        catch (InvalidDataException e) { throw new BadHttpRequestException("The form cannot be read.", StatusCodes.Status400BadRequest, e); }
    }

    /// <summary>Twilio's delivery words in ours; null for words that change nothing (receiving, received…).</summary>
    internal static SmsStatus? ToStatus(string providerStatus) => providerStatus switch
    {
        "queued" or "accepted" or "scheduled" or "sending" or "sent" => SmsStatus.Sent,
        "delivered" or "read" or "partially_delivered" => SmsStatus.Delivered,
        "undelivered" => SmsStatus.Undelivered,
        "failed" or "canceled" => SmsStatus.Failed,
        _ => null,
    };

    /// <summary>No reply: a message already handled is not answered twice.</summary>
    internal const string EmptyTwiML = """<?xml version="1.0" encoding="UTF-8"?><Response></Response>""";

    internal static string TwiML(string message) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><Response><Message>{SecurityElement.Escape(message)}</Message></Response>""";

    static bool IsSigned(HttpRequest request, IFormCollection form, TwilioOptions options) =>
        PublicUrl(request, options) is { } url
        && IsValidSignature(url, form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))),
            options.AuthToken, request.Headers["X-Twilio-Signature"]);

    /// <summary>
    /// X-Twilio-Signature checked by the SDK's <see cref="RequestValidator"/> (HMAC-SHA1 of the URL and every
    /// posted parameter, the URL with and without its port, compared in constant time). Every parameter is
    /// signed, known or not: Twilio adds new ones without notice. Never valid without an auth token.
    /// </summary>
    internal static bool IsValidSignature(string url, IEnumerable<KeyValuePair<string, string>> parameters, string? authToken, string? signature) =>
        !string.IsNullOrEmpty(authToken) && !string.IsNullOrEmpty(signature)
        // A new validator each time: it keeps one HMAC instance, which is not safe to share between requests.
        && new RequestValidator(authToken).Validate(WithoutDefaultPort(url), Signed(parameters), signature);

    /// <summary>
    /// "https://host:443/…" as "https://host/…": the validator tries the URL it is given with the default port
    /// added and with any port removed, but given the port written out it does not find the form without it.
    /// </summary>
    static string WithoutDefaultPort(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.IsDefaultPort) return url;
        var port = $":{uri.Port}";
        var at = url.IndexOf(uri.Host + port, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? url : url.Remove(at + uri.Host.Length, port.Length);
    }

    /// <summary>
    /// One entry per name, as the SDK signs them ("name" + value). Twilio signs a repeated name once per value,
    /// values in ordinal order (twilio-python's compute_signature; PLATFORM.md's vector): folding the values
    /// as "v1" + "name" + "v2" makes the SDK write exactly "name v1 name v2".
    /// </summary>
    static Dictionary<string, string> Signed(IEnumerable<KeyValuePair<string, string>> parameters) =>
        parameters.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key,
            g => string.Join(g.Key, g.Select(p => p.Value).Order(StringComparer.Ordinal)), StringComparer.Ordinal);

    /// <summary>
    /// The URL Twilio signed: the configured public address (required with Twilio, #14 item 6), never one
    /// built from the request's Host header, which the caller chooses. Null without one: nothing is signed.
    /// </summary>
    static string? PublicUrl(HttpRequest request, TwilioOptions options) =>
        string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            ? null
            : $"{options.PublicBaseUrl.TrimEnd('/')}{request.PathBase}{request.Path}{request.QueryString}";

    static string? First(IFormCollection form, string name) => form.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    static ProblemHttpResult Forbidden() =>
        Problems.Create(StatusCodes.Status403Forbidden, "bad_signature", "Signature Twilio invalide",
            "La requête ne porte pas de signature X-Twilio-Signature valide pour cette adresse.");
}
