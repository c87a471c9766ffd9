using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

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
/// Twilio's Programmable Messaging REST API without the SDK (PLATFORM.md "Twilio SMS without the SDK"):
/// a form POST to /2010-04-01/Accounts/{AccountSid}/Messages.json with Basic authentication. A typed
/// HttpClient: its base address and timeout come from <see cref="TwilioOptions"/>.
/// </summary>
internal sealed class TwilioClient(HttpClient http, IOptions<TwilioOptions> options)
{
    TwilioOptions Options => options.Value;

    string MessagesPath => $"2010-04-01/Accounts/{Uri.EscapeDataString(Options.AccountSid!)}/Messages.json";

    public async Task<TwilioResult> SendAsync(string to, string body, Uri? statusCallback, CancellationToken ct)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("To", to),
            new(Options.UsesMessagingService ? "MessagingServiceSid" : "From", Options.From!),
            new("Body", body),
        };
        if (statusCallback is not null) fields.Add(new("StatusCallback", statusCallback.AbsoluteUri));
        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesPath) { Content = new FormUrlEncodedContent(fields) };
        return await CallAsync(request, async response =>
        {
            if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
            {
                using var json = await ReadJsonAsync(response, ct);
                var sid = Text(json, "sid");
                return sid is null ? new TwilioResult.NoAnswer("réponse 201 sans sid") : new TwilioResult.Accepted(sid, Text(json, "status") ?? "queued");
            }
            return await FailureAsync(response, ct);
        }, ct);
    }

    /// <summary>What Twilio answered when a lookup did not succeed.</summary>
    internal sealed record Lookup(IReadOnlyList<(string Sid, string Status)> Messages, string? Failure);

    /// <summary>
    /// The outbound messages Twilio holds for <paramref name="to"/> with this body, created since
    /// <paramref name="since"/> (newest first, one page). How the dispatcher learns whether an attempt that
    /// got no answer went through, before it sends again.
    /// </summary>
    public async Task<Lookup> FindAsync(string to, string body, DateTimeOffset since, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{MessagesPath}?To={Uri.EscapeDataString(to)}&PageSize=50");
        var result = await CallAsync<Lookup>(request, async response =>
        {
            if (response.StatusCode != HttpStatusCode.OK)
                return new Lookup([], Describe(await FailureAsync(response, ct)));
            using var json = await ReadJsonAsync(response, ct);
            if (!json.RootElement.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
                return new Lookup([], "réponse sans liste de messages");
            var wanted = Skeleton(body);
            var sids = messages.EnumerateArray()
                .Where(m => Text(m, "to") == to && Skeleton(Text(m, "body") ?? "") == wanted)
                .Where(m => Text(m, "direction") is null or "outbound-api")
                .Where(m => Created(m) is not { } created || created >= since - ClockSkew)
                .Where(m => Text(m, "sid") is not null)
                .Select(m => (Text(m, "sid")!, Text(m, "status") ?? "queued")).ToList();
            return new Lookup(sids, null);
        }, ct, failure => new Lookup([], Describe(failure)));
        return result;
    }

    // Twilio's clock and ours may differ a little.
    static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    Task<TwilioResult> CallAsync(HttpRequestMessage request, Func<HttpResponseMessage, Task<TwilioResult>> read, CancellationToken ct) =>
        CallAsync(request, read, ct, failure => failure);

    async Task<T> CallAsync<T>(HttpRequestMessage request, Func<HttpResponseMessage, Task<T>> read, CancellationToken ct, Func<TwilioResult, T> failed)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Options.AccountSid}:{Options.AuthToken}")));
        try
        {
            using var response = await http.SendAsync(request, ct);
            return await read(response);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return failed(new TwilioResult.NoAnswer($"pas de réponse de Twilio en {http.Timeout.TotalSeconds:0} s"));
        }
        catch (HttpRequestException e)
        {
            return failed(new TwilioResult.NoAnswer($"connexion à Twilio interrompue ({e.HttpRequestError})"));
        }
        catch (JsonException)
        {
            return failed(new TwilioResult.NoAnswer("réponse de Twilio illisible"));
        }
    }

    static async Task<TwilioResult> FailureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        int? code = null;
        string? message = null;
        try
        {
            using var json = await ReadJsonAsync(response, ct);
            if (json.RootElement.TryGetProperty("code", out var c) && c.TryGetInt32(out var n)) code = n;
            message = Text(json, "message");
        }
        catch (JsonException)
        {
            // not JSON (a proxy's page): the HTTP status says enough
        }
        var status = (int)response.StatusCode;
        var reason = TwilioErrors.Describe(code, message, status);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || code == 20429 || response.StatusCode == HttpStatusCode.ServiceUnavailable)
            return new TwilioResult.Busy(reason, response.Headers.RetryAfter?.Delta);
        if (status >= 500) return new TwilioResult.NoAnswer(reason);
        return new TwilioResult.Refused(code, reason);
    }

    static string Describe(TwilioResult failure) => failure switch
    {
        TwilioResult.Refused r => r.Reason,
        TwilioResult.Busy b => b.Reason,
        TwilioResult.NoAnswer n => n.Reason,
        _ => failure.ToString(),
    };

    static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        return await JsonDocument.ParseAsync(stream, cancellationToken: ct);
    }

    static string? Text(JsonDocument json, string name) => Text(json.RootElement, name);

    static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;

    /// <summary>date_created is RFC 2822, "Wed, 11 Mar 2026 09:00:00 +0000"; null when it is not.</summary>
    internal static DateTimeOffset? Created(JsonElement message)
    {
        if (Text(message, "date_created") is not { Length: > 6 } text) return null;
        var zone = text[^5..]; // "+0000" → "+00:00", which .NET's zzz reads
        if (zone[0] is '+' or '-') text = $"{text[..^5]}{zone[..3]}:{zone[3..]}";
        return DateTimeOffset.TryParseExact(text, "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var created)
            ? created : null;
    }

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
