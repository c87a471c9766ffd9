using System.Text;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using HttpClient = System.Net.Http.HttpClient;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>What became of one hand-over to Twilio.</summary>
internal abstract record TwilioResult
{
    /// <summary>201: Twilio has it (status queued, or accepted through a Messaging Service).</summary>
    public sealed record Accepted(string Sid, string Status) : TwilioResult;
    /// <summary>Refused for good (a 4xx other than 429: invalid number, unsubscribed…): do not try again.</summary>
    public sealed record Refused(int? Code, string Reason) : TwilioResult;
    /// <summary>Not taken, try later (429, 503).</summary>
    public sealed record Busy(string Reason, TimeSpan? RetryAfter) : TwilioResult;
    /// <summary>No definite answer (timeout, dropped connection, other 5xx): it may or may not have been taken.</summary>
    public sealed record NoAnswer(string Reason) : TwilioResult;
}

/// <summary>
/// Twilio's Programmable Messaging API through the official SDK: <c>MessageResource.CreateAsync</c> hands a
/// message over, <c>MessageResource.ReadAsync</c> lists what Twilio holds for a number (the in-doubt lookup),
/// <c>MessageResource.FetchAsync</c> reads one message by sid (a delivery report that never came).
/// The SDK's <see cref="TwilioRestClient"/> runs on this typed <see cref="HttpClient"/> (timeout from
/// <see cref="TwilioOptions"/>; <see cref="TwilioBaseUrlHandler"/> sends its calls to Twilio:BaseUrl when that
/// is not Twilio itself, as the tests' fake server is). What the SDK throws is turned into
/// <see cref="TwilioResult"/>s the dispatcher acts on.
/// </summary>
internal sealed class TwilioClient(HttpClient http, IOptions<TwilioOptions> options)
{
    TwilioOptions Options => options.Value;

    // Built on first use: without credentials nothing is ever sent, and the SDK's client holds them.
    TwilioRestClient? rest;
    TwilioRestClient Rest => rest ??= new TwilioRestClient(Options.AccountSid, Options.AuthToken, httpClient: new SystemNetHttpClient(http));

    public async Task<TwilioResult> SendAsync(string to, string body, Uri? statusCallback, CancellationToken ct)
    {
        var message = new CreateMessageOptions(new Twilio.Types.PhoneNumber(to)) { Body = body, StatusCallback = statusCallback };
        if (Options.UsesMessagingService) message.MessagingServiceSid = Options.From;
        else message.From = new Twilio.Types.PhoneNumber(Options.From);
        return await CallAsync<TwilioResult>(async () =>
        {
            var created = await MessageResource.CreateAsync(message, Rest);
            return created.Sid is null
                ? new TwilioResult.NoAnswer("réponse 201 sans sid")
                : new TwilioResult.Accepted(created.Sid, created.Status?.ToString() ?? "queued");
        }, failure => failure, ct);
    }

    /// <summary>What Twilio answered when a lookup did not succeed.</summary>
    internal sealed record Lookup(IReadOnlyList<(string Sid, string Status)> Messages, string? Failure);

    /// <summary>
    /// The outbound messages Twilio holds for <paramref name="to"/> with this body, created since
    /// <paramref name="since"/> (newest first, one page). How the dispatcher learns whether an attempt that
    /// got no answer went through, before it sends again. A list by number, not a fetch by sid: the doubt is
    /// precisely that no sid came back.
    /// </summary>
    public Task<Lookup> FindAsync(string to, string body, DateTimeOffset since, CancellationToken ct) =>
        CallAsync(async () =>
        {
            // One page: Limit stops the SDK from following next_page_uri (synchronously) through the whole history.
            var page = await MessageResource.ReadAsync(new ReadMessageOptions { To = new Twilio.Types.PhoneNumber(to), PageSize = 50, Limit = 50 }, Rest);
            var wanted = Skeleton(body);
            var sids = page
                .Where(m => m.To == to && Skeleton(m.Body ?? "") == wanted)
                .Where(m => m.Direction is null || m.Direction == MessageResource.DirectionEnum.OutboundApi)
                .Where(m => Utc(m.DateCreated) is not { } created || created >= since - ClockSkew)
                .Where(m => m.Sid is not null)
                .Select(m => (m.Sid, m.Status?.ToString() ?? "queued")).ToList();
            return new Lookup(sids, null);
        }, failure => new Lookup([], Describe(failure)), ct);

    /// <summary>Twilio's word for where a message it accepted stands (<c>MessageResource.FetchAsync</c> by sid), with its error code.</summary>
    internal sealed record Delivery(string? Status, int? ErrorCode, string? Failure);

    public Task<Delivery> FetchAsync(string sid, CancellationToken ct) =>
        CallAsync(async () =>
        {
            var message = await MessageResource.FetchAsync(pathSid: sid, client: Rest);
            return new Delivery(message.Status?.ToString(), message.ErrorCode, null);
        }, failure => new Delivery(null, null, Describe(failure)), ct);

    // Twilio's clock and ours may differ a little.
    static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// One SDK call. The SDK takes no CancellationToken: shutting down stops the wait, and the HttpClient's
    /// timeout ends the call itself. Its exceptions carry Twilio's code and the HTTP status but not the
    /// headers, so <see cref="TwilioCallInfo"/> brings back the status and Retry-After seen by the handler.
    /// </summary>
    async Task<T> CallAsync<T>(Func<Task<T>> call, Func<TwilioResult, T> failed, CancellationToken ct)
    {
        var seen = TwilioCallInfo.Begin();
        try
        {
            return await call().WaitAsync(ct);
        }
        catch (ApiException e)
        {
            return failed(Failure(e, seen));
        }
        catch (ApiConnectionException e) when (e.InnerException is TaskCanceledException && !ct.IsCancellationRequested)
        {
            return failed(new TwilioResult.NoAnswer($"pas de réponse de Twilio en {http.Timeout.TotalSeconds:0} s"));
        }
        catch (ApiConnectionException e) when (e.InnerException is HttpRequestException h)
        {
            return failed(new TwilioResult.NoAnswer($"connexion à Twilio interrompue ({h.HttpRequestError})"));
        }
        catch (ApiConnectionException)
        {
            return failed(new TwilioResult.NoAnswer("connexion à Twilio interrompue"));
        }
        catch (Exception e) when (e is TwilioException or Newtonsoft.Json.JsonException)
        {
            return failed(new TwilioResult.NoAnswer("réponse de Twilio illisible"));
        }
    }

    static TwilioResult Failure(ApiException e, TwilioCallInfo seen)
    {
        var status = e.Status != 0 ? e.Status : seen.Status ?? 0;
        int? code = e.Code != 0 ? e.Code : null;
        // Without a JSON body (a proxy's page) the SDK's message is the whole body: the HTTP status says enough.
        var reason = TwilioErrors.Describe(code, code is null ? null : e.Message, status);
        if (status is 429 or 503 || code == 20429) return new TwilioResult.Busy(reason, seen.RetryAfter);
        if (status >= 500 || status == 0) return new TwilioResult.NoAnswer(reason);
        return new TwilioResult.Refused(code, reason);
    }

    static string Describe(TwilioResult failure) => failure switch
    {
        TwilioResult.Refused r => r.Reason,
        TwilioResult.Busy b => b.Reason,
        TwilioResult.NoAnswer n => n.Reason,
        _ => failure.ToString(),
    };

    /// <summary>The SDK reads Twilio's RFC 2822 dates into DateTime; taken as UTC unless it says local.</summary>
    static DateTimeOffset? Utc(DateTime? value) => value switch
    {
        null => null,
        { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime(), TimeSpan.Zero),
        { } other => new DateTimeOffset(DateTime.SpecifyKind(other, DateTimeKind.Utc), TimeSpan.Zero),
    };

    /// <summary>
    /// Letters and digits only, without accents: a Messaging Service's "smart encoding" may have replaced
    /// « » or ’ in the body Twilio stored, and the text is still recognised.
    /// </summary>
    internal static string Skeleton(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var ch in text.Normalize(NormalizationForm.FormD))
            if (char.IsLetterOrDigit(ch)) builder.Append(char.ToLowerInvariant(ch));
        return builder.ToString();
    }
}

/// <summary>
/// What the HTTP pipeline saw of the last Twilio answer in this async flow: the SDK's exceptions keep the
/// error code but drop the headers (Retry-After) and, for a body that is not JSON, the status. The caller
/// creates the box; <see cref="TwilioBaseUrlHandler"/>, running below in the same flow, fills it in.
/// </summary>
internal sealed class TwilioCallInfo
{
    static readonly AsyncLocal<TwilioCallInfo?> current = new();

    public int? Status { get; private set; }
    public TimeSpan? RetryAfter { get; private set; }

    public static TwilioCallInfo Begin() => current.Value = new TwilioCallInfo();

    public static void Record(HttpResponseMessage response)
    {
        if (current.Value is not { } seen) return;
        seen.Status = (int)response.StatusCode;
        seen.RetryAfter = response.Headers.RetryAfter?.Delta;
    }
}

/// <summary>
/// The last handler before the network for the SDK's calls: sends them to Twilio:BaseUrl when it is not
/// https://api.twilio.com (the tests' fake server; the SDK itself always names api.twilio.com), and notes
/// each answer's status and Retry-After for <see cref="TwilioCallInfo"/>.
/// </summary>
internal sealed class TwilioBaseUrlHandler(IOptions<TwilioOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var target = new Uri(options.Value.BaseUrl);
        if (!target.Host.EndsWith(".twilio.com", StringComparison.OrdinalIgnoreCase) && request.RequestUri is { } uri)
        {
            var basePath = target.AbsolutePath.TrimEnd('/');
            request.RequestUri = new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port, Path = basePath + uri.AbsolutePath }.Uri;
        }
        var response = await base.SendAsync(request, ct);
        TwilioCallInfo.Record(response);
        return response;
    }
}

/// <summary>Twilio error codes staff meet most, in French (PLATFORM.md lists them).</summary>
internal static class TwilioErrors
{
    static readonly Dictionary<int, string> Known = new()
    {
        [20003] = "authentification Twilio refusée (AccountSid ou AuthToken)",
        [20429] = "trop de requêtes vers Twilio",
        [21211] = "numéro de destinataire invalide",
        [21408] = "pays non autorisé sur le compte Twilio",
        [21606] = "l'expéditeur (From) ne peut pas envoyer de SMS",
        [21608] = "numéro non vérifié (compte Twilio d'essai)",
        [21610] = "destinataire désinscrit (il a répondu STOP)",
        [21612] = "numéro injoignable par SMS",
        [21614] = "ce numéro n'est pas un mobile",
        [30003] = "téléphone éteint ou injoignable",
        [30004] = "message bloqué par le destinataire ou l'opérateur",
        [30005] = "numéro inconnu de l'opérateur",
        [30006] = "numéro fixe ou opérateur injoignable",
        [30007] = "message filtré par l'opérateur",
        [30008] = "erreur inconnue de l'opérateur",
    };

    /// <summary>"21211 numéro de destinataire invalide (The 'To' number … is not a valid phone number.)"</summary>
    public static string Describe(int? code, string? message, int? httpStatus = null)
    {
        var head = code is { } c ? (Known.TryGetValue(c, out var french) ? $"{c} {french}" : $"erreur Twilio {c}") : $"HTTP {httpStatus}";
        return string.IsNullOrWhiteSpace(message) ? head : $"{head} ({message})";
    }
}
