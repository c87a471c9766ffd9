namespace ClickCollect.Api.Features.Ils;

/// <summary>Which library system ClickCollect talks to live; section "Ils".</summary>
internal sealed class IlsOptions
{
    public const string Section = "Ils";

    /// <summary><c>none</c> (ClickCollect keeps its own loans) or <c>sip2</c> (checkouts and checkins go to the library system).</summary>
    public string Provider { get; set; } = "none";

    /// <summary>How often the outbox of transactions that could not reach the library system is retried.</summary>
    public TimeSpan OutboxInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an instance keeps the transactions it claimed before another may send them (after a crash); longer than a batch of 20 at <c>Sip2:Timeout</c>.</summary>
    public TimeSpan OutboxLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Whether this instance runs the outbox retry job (tests call it by hand).</summary>
    public bool RunInBackground { get; set; } = true;

    public bool IsSip2 => Provider.Equals("sip2", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The SIP2 connection to the library system (3M Standard Interchange Protocol 2.00); section "Sip2".</summary>
internal sealed class Sip2Options
{
    public const string Section = "Sip2";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 6001;

    /// <summary>Wrap the connection in TLS (a SIP2 server behind stunnel or a TLS listener).</summary>
    public bool UseTls { get; set; }

    /// <summary>The SIP2 login (CN) the library system knows, e.g. a Koha staff user named in SIPconfig.xml.</summary>
    public string Username { get; set; } = "";

    /// <summary>The login password (CO). Never logged.</summary>
    public string Password { get; set; } = "";

    /// <summary>The institution id (AO) sent with every message.</summary>
    public string InstitutionId { get; set; } = "";

    /// <summary>The location code (CP) sent at login, and as the current location (AP) of a checkin.</summary>
    public string LocationCode { get; set; } = "";

    /// <summary>The terminal password (AC) some systems ask for. Never logged.</summary>
    public string TerminalPassword { get; set; } = "";

    /// <summary>Send a sequence number (AY) and checksum (AZ) with each message and check them on answers.</summary>
    public bool UseChecksums { get; set; } = true;

    /// <summary>How long one answer may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Further attempts of a message after a timeout, a dropped connection or a garbled answer.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>Open connections kept by this instance at most.</summary>
    public int MaxConnections { get; set; } = 4;

    /// <summary>The character set on the wire: <c>utf-8</c> (default) or, for older systems, <c>windows-1252</c>.</summary>
    public string Encoding { get; set; } = "utf-8";
}
