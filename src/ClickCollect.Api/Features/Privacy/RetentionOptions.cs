namespace ClickCollect.Api.Features.Privacy;

/// <summary>
/// How long personal data is kept (issue 16, PRIVACY.md); section "Retention". The defaults follow the
/// CNIL's framework for public libraries' loan management and the periods.
/// </summary>
internal sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>
    /// A returned loan loses its patron at the end of this many months after the month of its return
    /// (4: a loan returned on 15 January is unlinked on 1 June), unless the patron keeps a reading history.
    /// </summary>
    public int LoanMonths { get; set; } = 4;

    /// <summary>Finished holds, appointments and surprise-selection requests lose their patron and free text after this many months.</summary>
    public int FinishedMonths { get; set; } = 6;

    /// <summary>Sent SMS lose their body, number and patron after this many months (the counts the figures need stay).</summary>
    public int SmsMonths { get; set; } = 3;

    /// <summary>What is kept of inbound SMS (an "ANNULER" waiting for its "OUI") goes after this many months.</summary>
    public int InboundSmsMonths { get; set; } = 1;

    /// <summary>Stored answers replayed for a retried POST (<c>Idempotency-Key</c>) go after this long.</summary>
    public TimeSpan IdempotencyAnswers { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Failed sign-in counts and ended locks are forgotten this long after the lock ended.</summary>
    public TimeSpan SignInAttempts { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The staff access log (who opened, exported or erased which record) keeps this many months.</summary>
    public int AccessLogMonths { get; set; } = 12;

    /// <summary>Checkouts and checkins the library system answered lose their card number after this long.</summary>
    public TimeSpan IlsOutboxAnswered { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Run the daily job in this instance (it runs once a day across all instances whatever this says elsewhere).</summary>
    public bool RunInBackground { get; set; } = true;

    /// <summary>How often an instance checks whether today's run is still to do.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    public bool IsValid =>
        LoanMonths is >= 1 and <= 120 && FinishedMonths is >= 1 and <= 120 && SmsMonths is >= 1 and <= 120
        && InboundSmsMonths is >= 1 and <= 120 && AccessLogMonths is >= 1 and <= 120
        && IdempotencyAnswers > TimeSpan.Zero && SignInAttempts > TimeSpan.Zero && IlsOutboxAnswered > TimeSpan.Zero
        && CheckInterval > TimeSpan.Zero;
}
