namespace ClickCollect.Api.Features.Notifications;

/// <summary>How and when SMS go out; section "Sms".</summary>
internal sealed class SmsOptions
{
    public const string Section = "Sms";

    /// <summary>No non-urgent SMS from this local time (the branch's zone)…</summary>
    public TimeOnly QuietHoursStart { get; set; } = new(20, 0);

    /// <summary>…until this one. Equal to the start: no quiet hours.</summary>
    public TimeOnly QuietHoursEnd { get; set; } = new(8, 30);

    /// <summary>Hand-overs to Twilio per message before it is marked failed.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>Wait after the first failed attempt; doubled after each further one.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a claimed message belongs to one dispatcher: at least three times Twilio:Timeout (a
    /// lookup, a send, and room for the database), so it never runs out while Twilio is being called.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Messages a dispatcher claims and hands to Twilio at the same time.</summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>How often the dispatcher looks for due messages.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often reminders (appointment tomorrow, hold expiring tomorrow) are looked for.</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Day-before reminders are queued from this local time until quiet hours start.</summary>
    public TimeOnly ReminderTime { get; set; } = new(10, 0);

    /// <summary>How long "ANNULER" waits for its "OUI".</summary>
    public TimeSpan ConfirmationTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A message Twilio accepted without a delivery report after this long is asked about by its sid
    /// (the status callback can be lost: the app was down, or Twilio:PublicBaseUrl is not reachable).
    /// </summary>
    public TimeSpan DeliveryCheckAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Messages older than this are no longer asked about (a carrier that never reports stays "sent").</summary>
    public TimeSpan DeliveryCheckFor { get; set; } = TimeSpan.FromDays(2);

    /// <summary>False: the dispatcher and reminder jobs only run when called (tests, a separate worker process).</summary>
    public bool RunInBackground { get; set; } = true;
}

/// <summary>Twilio Programmable Messaging; section "Twilio". Without AccountSid, AuthToken and From nothing is sent.</summary>
internal sealed class TwilioOptions
{
    public const string Section = "Twilio";

    /// <summary>AC…: the account, also the user name of Basic authentication.</summary>
    public string? AccountSid { get; set; }

    /// <summary>The account's auth token: Basic authentication password and webhook signature key.</summary>
    public string? AuthToken { get; set; }

    /// <summary>A Twilio number in E.164, an alphanumeric sender, or a Messaging Service (MG…).</summary>
    public string? From { get; set; }

    /// <summary>
    /// The REST API root. The SDK always calls https://api.twilio.com; any other address here (the tests' fake
    /// server) receives those calls instead, through <see cref="TwilioBaseUrlHandler"/>.
    /// </summary>
    public string BaseUrl { get; set; } = "https://api.twilio.com";

    /// <summary>
    /// This app as Twilio reaches it (https://bibliotheque.example.fr), behind any proxy: required when
    /// Twilio is configured. Status callbacks point at it and webhook signatures are checked against it.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long one call to Twilio may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(AccountSid) && !string.IsNullOrWhiteSpace(AuthToken) && !string.IsNullOrWhiteSpace(From);

    public bool UsesMessagingService => From?.StartsWith("MG", StringComparison.Ordinal) == true;

    internal static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
