using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClickCollect.Tests.Support;

/// <summary>
/// Twilio's Messages API as a small Kestrel app on 127.0.0.1 (a free port): it checks the path, Basic
/// authentication and the form fields of every call, records the messages it accepts, lists them as
/// Twilio does (GET Messages.json?To=), and can be told how to answer the next calls: an error code,
/// 429, a slow answer, a dropped connection (before or after taking the message), or no answer at all.
/// Requests that break Twilio's rules are kept in <see cref="Complaints"/>: a test asserts there are none.
/// </summary>
public sealed partial class FakeTwilio : IAsyncDisposable
{
    public const string AccountSid = "AC00000000000000000000000000000042";
    public const string AuthToken = "fake-twilio-auth-token";
    public const string From = "+33700000042";

    readonly WebApplication app;
    readonly ConcurrentQueue<Answer> script = new();
    readonly List<Sms> messages = [];
    readonly ConcurrentQueue<string> complaints = new();
    readonly CancellationTokenSource stopping = new();
    int posts;
    int lookups;

    FakeTwilio(WebApplication app) => this.app = app;

    /// <summary>A message Twilio took.</summary>
    public sealed record Sms(string Sid, string To, string? From, string? MessagingServiceSid, string Body, string? StatusCallback, DateTimeOffset CreatedAt);

    /// <summary>How to answer one POST. Without a script, every message is accepted (201).</summary>
    public abstract record Answer
    {
        public sealed record Error(int HttpStatus, int Code, string Message = "error", string? RetryAfter = null) : Answer;
        /// <summary>Closes the connection without taking the message.</summary>
        public sealed record Drop : Answer;
        /// <summary>Takes the message, then closes the connection before answering.</summary>
        public sealed record TakeThenDrop : Answer;
        /// <summary>Takes the message and never answers (until the caller gives up).</summary>
        public sealed record TakeThenHang : Answer;
    }

    /// <summary>The instant written as date_created; tests set it to their app's clock.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Signalled when a TakeThenHang answer has taken its message.</summary>
    public TaskCompletionSource Taken { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<Sms> Messages { get { lock (messages) return messages.ToList(); } }

    public IReadOnlyCollection<string> Complaints => complaints.ToArray();

    /// <summary>POSTs received, answered or not.</summary>
    public int Posts => Volatile.Read(ref posts);

    /// <summary>GETs of the message list (how the dispatcher asks whether a message got through).</summary>
    public int Lookups => Volatile.Read(ref lookups);

    /// <summary>How long every POST takes, as a network and Twilio would.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The app settings that point ClickCollect here with working credentials.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Twilio:BaseUrl"] = BaseUrl.ToString(),
        ["Twilio:AccountSid"] = AccountSid,
        ["Twilio:AuthToken"] = AuthToken,
        ["Twilio:From"] = From,
        // Required with Twilio (#14 item 6): the address webhooks are signed for.
        ["Twilio:PublicBaseUrl"] = "https://bibliotheque.example.fr",
    };

    public void Then(params Answer[] answers)
    {
        foreach (var answer in answers) script.Enqueue(answer);
    }

    public static async Task<FakeTwilio> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeTwilio(app);
        app.MapPost("/2010-04-01/Accounts/{account}/Messages.json", fake.CreateAsync);
        app.MapGet("/2010-04-01/Accounts/{account}/Messages.json", fake.List);
        app.MapGet("/2010-04-01/Accounts/{account}/Messages/{sid}.json", fake.Fetch);
        app.MapFallback((HttpContext http) =>
        {
            fake.complaints.Enqueue($"unexpected {http.Request.Method} {http.Request.Path}");
            return Results.Json(new { code = 20404, message = "The requested resource was not found", status = 404 }, statusCode: 404);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address);
        return fake;
    }

    async Task<IResult> CreateAsync(string account, HttpContext http)
    {
        Interlocked.Increment(ref posts);
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency);
        if (Refusal(account, http) is { } refused) return refused;
        if (!http.Request.HasFormContentType)
        {
            complaints.Enqueue($"POST without a form body ({http.Request.ContentType})");
            return TwilioError(400, 21602, "Message body is required.");
        }
        var form = await http.Request.ReadFormAsync();
        string? Field(string name) => form.TryGetValue(name, out var v) ? v.ToString() : null;
        var to = Field("To");
        var from = Field("From");
        var service = Field("MessagingServiceSid");
        var body = Field("Body");
        var callback = Field("StatusCallback");
        if (to is null || !E164().IsMatch(to)) complaints.Enqueue($"To is not E.164: '{to}'");
        if ((from is null) == (service is null)) complaints.Enqueue("exactly one of From and MessagingServiceSid is required");
        if (string.IsNullOrEmpty(body) || body.Length > 1600) complaints.Enqueue($"Body empty or over 1,600 characters ({body?.Length})");
        if (callback is not null && !Uri.TryCreate(callback, UriKind.Absolute, out _)) complaints.Enqueue($"StatusCallback not absolute: {callback}");
        foreach (var key in form.Keys.Except(["To", "From", "MessagingServiceSid", "Body", "StatusCallback"]))
            complaints.Enqueue($"unexpected field {key}");

        script.TryDequeue(out var answer);
        switch (answer)
        {
            case Answer.Error e:
                if (e.RetryAfter is not null) http.Response.Headers.RetryAfter = e.RetryAfter;
                return TwilioError(e.HttpStatus, e.Code, e.Message);
            case Answer.Drop:
                http.Abort();
                return Results.Empty;
        }
        var sms = new Sms("SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), to ?? "", from, service, body ?? "", callback, Clock());
        lock (messages) messages.Add(sms);
        switch (answer)
        {
            case Answer.TakeThenDrop:
                http.Abort();
                return Results.Empty;
            case Answer.TakeThenHang:
                Taken.TrySetResult();
                using (var hang = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping.Token))
                    await Task.Delay(Timeout.Infinite, hang.Token).ContinueWith(_ => { });
                return Results.Empty;
        }
        return Results.Json(Resource(sms), statusCode: 201);
    }

    /// <summary>What GET Messages/{sid}.json says of a message: "queued" (or "accepted") until a test sets it.</summary>
    public ConcurrentDictionary<string, (string Status, int? ErrorCode)> Deliveries { get; } = new();

    /// <summary>GET Messages/{sid}.json calls received.</summary>
    public int Fetches => Volatile.Read(ref fetches);
    int fetches;

    IResult Fetch(string account, string sid, HttpContext http)
    {
        Interlocked.Increment(ref fetches);
        if (Refusal(account, http) is { } refused) return refused;
        if (Messages.FirstOrDefault(m => m.Sid == sid) is not { } sms) return TwilioError(404, 20404, "The requested resource was not found");
        var resource = (Dictionary<string, object?>)Resource(sms);
        if (Deliveries.TryGetValue(sid, out var delivery)) (resource["status"], resource["error_code"]) = (delivery.Status, delivery.ErrorCode);
        return Results.Json(resource);
    }

    IResult List(string account, HttpContext http)
    {
        Interlocked.Increment(ref lookups);
        if (Refusal(account, http) is { } refused) return refused;
        var to = http.Request.Query["To"].ToString();
        var listed = Messages.Where(m => to.Length == 0 || m.To == to).OrderByDescending(m => m.CreatedAt).Select(Resource).ToList();
        return Results.Json(new { messages = listed, page = 0, page_size = 50, first_page_uri = http.Request.Path.Value, next_page_uri = (string?)null });
    }

    IResult? Refusal(string account, HttpContext http)
    {
        if (account != AccountSid)
        {
            complaints.Enqueue($"path names account {account}");
            return TwilioError(404, 20404, "The requested resource was not found");
        }
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
        if (http.Request.Headers.Authorization.ToString() != expected)
        {
            complaints.Enqueue($"bad Authorization header '{http.Request.Headers.Authorization}'");
            return TwilioError(401, 20003, "Authenticate");
        }
        return null;
    }

    static object Resource(Sms m) => new Dictionary<string, object?>
    {
        ["sid"] = m.Sid,
        ["account_sid"] = AccountSid,
        ["api_version"] = "2010-04-01",
        ["to"] = m.To,
        ["from"] = m.From,
        ["messaging_service_sid"] = m.MessagingServiceSid,
        ["body"] = m.Body,
        ["status"] = m.MessagingServiceSid is null ? "queued" : "accepted",
        ["num_segments"] = "1",
        ["num_media"] = "0",
        ["direction"] = "outbound-api",
        ["date_created"] = m.CreatedAt.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture),
        ["date_updated"] = m.CreatedAt.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture),
        ["date_sent"] = null,
        ["error_code"] = null,
        ["error_message"] = null,
        ["uri"] = $"/2010-04-01/Accounts/{AccountSid}/Messages/{m.Sid}.json",
    };

    static IResult TwilioError(int status, int code, string message) =>
        Results.Json(new { code, message, more_info = $"https://www.twilio.com/docs/errors/{code}", status }, statusCode: status);

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex E164();

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
