using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Api.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Notifications;

/// <summary>
/// Sends due outbox messages through Twilio. Several dispatchers (app instances) may share one
/// database: a message is claimed with a lease by one conditional UPDATE, and every later write is
/// fenced by the claimer's id. Failures are retried with exponential backoff; Twilio's refusals
/// (invalid number, unsubscribed…) are final and keep their reason.
/// </summary>
/// <remarks>
/// Never twice, never lost: Twilio has no idempotency key for messages, so a send that got no answer
/// (timeout, dropped connection, a dispatcher killed between Twilio's 201 and our UPDATE) leaves the
/// message in doubt. Before sending it again, the dispatcher asks Twilio for the messages it holds for
/// that number and marks the message sent when one carries its body. REVIEW: what remains is Twilio's
/// own listing lag: a message accepted but not yet listed when the retry asks (the first retry comes
/// 30 s, a dead dispatcher's lease 2 min, after the attempt), and a message to the same number with the
/// same words sent outside ClickCollect in that time, which would be taken for ours.
/// </remarks>
internal sealed class SmsDispatcher(DispatchStore store, OutboxStore outbox, TwilioClient twilio, ISmsSuspension suspension,
    IOptions<SmsOptions> sms, IOptions<TwilioOptions> twilioOptions, ClickCollectMetrics metrics, TimeProvider clock, ILogger<SmsDispatcher> logger)
    : PeriodicWorker(clock, logger, sms.Value.DispatchInterval, metrics)
{
    public const string NotConfiguredReason = "non envoyé : aucun fournisseur SMS configuré";

    /// <summary>This dispatcher's name in claimed_by: host, process, and a part unique to the instance.</summary>
    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        sms.Value.RunInBackground ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    /// <summary>Sends what is due now, a few messages at a time, until nothing is left (or a long backlog's first part).</summary>
    public override async Task RunOnceAsync(CancellationToken ct)
    {
        var o = sms.Value;
        if (twilioOptions.Value.IsConfigured) await CheckDeliveriesAsync(ct);
        var configured = twilioOptions.Value.IsConfigured;
        for (var round = 0; round < MaxRounds; round++)
        {
            var claimedAt = Clock.GetUtcNow();
            var batch = await store.ClaimAsync(Name, claimedAt, o.Lease, configured ? o.Parallelism : UnsentBatch, ct);
            if (batch.Count == 0) return;
            if (configured) await Task.WhenAll(batch.Select(m => SendAsync(m, claimedAt, ct)));
            else await CloseUnsentAsync(batch, ct);
        }
    }

    // A run ends now and then even with a backlog, so the loop's next tick (and shutdown) is not held up.
    const int MaxRounds = 250;

    // Messages claimed at once when none can be sent (no provider): no Twilio call to run in parallel, only rows to close.
    const int UnsentBatch = 200;

    /// <summary>
    /// No SMS provider: every claimed message is closed as <see cref="SendAsync"/> would close it (skipped with the reason
    /// the patron's number, consent or a suspension gives, else "not configured"), all in one unit of work. Closed one by
    /// one, four claimed at a time, each message cost a claim's share and a transaction of its own with its COMMIT: in make
    /// bench, where the app has no provider, the dispatcher closed about 100 booking notices a second that way, on the
    /// cores the bookings were measured on (#17).
    /// </summary>
    async Task CloseUnsentAsync(IReadOnlyList<ClaimedSms> batch, CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        var closes = new List<(long Id, SmsStatus Status, string Reason)>();
        foreach (var m in batch)
        {
            var phone = m.PatronPhone is null ? null : m.ToNumber;
            var skipped = SmsRules.SkipReason(phone, m.SmsConsent == true, m.OptedOut > 0)
                ?? await suspension.ReasonAsync(new SmsSuspensionQuery(m.Id, m.PatronId, m.BranchId, m.Kind), now, ct);
            closes.Add(skipped is null ? (m.Id, SmsStatus.NotConfigured, NotConfiguredReason) : (m.Id, SmsStatus.Skipped, skipped));
        }
        await store.CloseUntriedAsync(Name, closes, now, ct);
    }

    async Task SendAsync(ClaimedSms m, DateTimeOffset claimedAt, CancellationToken ct)
    {
        var o = sms.Value;
        var t = twilioOptions.Value;
        var now = Clock.GetUtcNow();
        var phone = m.PatronPhone is null ? null : m.ToNumber; // the patron may have removed the number since
        if (SmsRules.SkipReason(phone, m.SmsConsent == true, m.OptedOut > 0) is { } refused)
        {
            await store.CloseAsync(m.Id, Name, SmsStatus.Skipped, refused, tried: false, now, ct);
            return;
        }
        if (await suspension.ReasonAsync(new SmsSuspensionQuery(m.Id, m.PatronId, m.BranchId, m.Kind), now, ct) is { } suspended)
        {
            await store.CloseAsync(m.Id, Name, SmsStatus.Skipped, suspended, tried: false, now, ct);
            return;
        }
        if (!t.IsConfigured)
        {
            await store.CloseAsync(m.Id, Name, SmsStatus.NotConfigured, NotConfiguredReason, tried: false, now, ct);
            return;
        }
        var zone = SmsRules.Zone(m.TimeZone);
        if (!m.Urgent && SmsRules.QuietUntil(now, zone, o.QuietHoursStart, o.QuietHoursEnd) is var after && after > now)
        {
            await store.PostponeAsync(m.Id, Name, after, now, ct);
            return;
        }

        if (m.DoubtSince is { } since)
        {
            var lookup = await twilio.FindAsync(m.ToNumber!, m.Body, since, ct);
            if (lookup.Failure is { } failure)
            {
                await RetryAsync(m, $"vérification auprès de Twilio impossible : {failure}", doubtful: true, null, ct);
                return;
            }
            var recorded = await store.RecordedSidsAsync(lookup.Messages.Select(x => x.Sid).ToList(), ct);
            if (lookup.Messages.FirstOrDefault(x => !recorded.Contains(x.Sid)) is { Sid: not null } found)
            {
                logger.LogInformation("SMS {Id} had reached Twilio before ({Sid}): not sent again", m.Id, found.Sid);
                Metrics.SmsSent(SmsSegments.Count(m.Body)); // accepted by Twilio, though its answer was lost: sent (and billed) all the same
                await store.MarkSentAsync(m.Id, Name, found.Sid, found.Status, Clock.GetUtcNow(), ct);
                return;
            }
        }
        if (m.Attempts > o.MaxAttempts)
        {
            Metrics.SmsFailed();
            await store.CloseAsync(m.Id, Name, SmsStatus.Failed, $"abandonné après {o.MaxAttempts} tentatives", tried: true, now, ct);
            return;
        }
        // The lease must still cover the whole call: otherwise another dispatcher could take the message over mid-send.
        if (Clock.GetUtcNow() + t.Timeout > claimedAt + o.Lease)
        {
            await store.PostponeAsync(m.Id, Name, Clock.GetUtcNow(), Clock.GetUtcNow(), ct);
            return;
        }

        var result = await twilio.SendAsync(m.ToNumber!, m.Body, StatusCallback(t, m.Id), ct);
        now = Clock.GetUtcNow();
        switch (result)
        {
            case TwilioResult.Accepted(var sid, var status):
                Metrics.SmsSent(SmsSegments.Count(m.Body));
                if (!await store.MarkSentAsync(m.Id, Name, sid, status, now, ct))
                    logger.LogWarning("SMS {Id} sent as {Sid} after its claim was lost", m.Id, sid);
                break;
            case TwilioResult.Refused(var code, var reason):
                logger.LogWarning("SMS {Id} refused by Twilio: {Reason}", m.Id, reason);
                Metrics.SmsFailed();
                await store.CloseAsync(m.Id, Name, SmsStatus.Failed, reason, tried: true, now, ct);
                if (code == 21610) await outbox.OptOutAsync(m.ToNumber!, "provider", now, ct);
                break;
            case TwilioResult.Busy(var reason, var retryAfter):
                await RetryAsync(m, reason, doubtful: false, retryAfter, ct);
                break;
            case TwilioResult.NoAnswer(var reason):
                await RetryAsync(m, reason, doubtful: true, null, ct);
                break;
        }
    }

    // Messages asked about per run: the status callback normally answers, this only catches the lost ones.
    const int DeliveryChecksPerRun = 20;

    /// <summary>
    /// Messages Twilio accepted but whose delivery report never came (lost callback, app down, no public
    /// address): their status is fetched by sid and recorded as the callback would have, so the counter sees
    /// "non distribué" and staff phone the patron. Several instances may ask about the same message: the
    /// report is recorded once (<see cref="OutboxStore.RecordReportAsync"/> claims sid and status).
    /// </summary>
    async Task CheckDeliveriesAsync(CancellationToken ct)
    {
        var o = sms.Value;
        var now = Clock.GetUtcNow();
        foreach (var m in await store.AwaitingReportAsync(now - o.DeliveryCheckAfter, now - o.DeliveryCheckFor, DeliveryChecksPerRun, ct))
        {
            var delivery = await twilio.FetchAsync(m.Sid, ct);
            if (delivery.Failure is { } failure)
            {
                logger.LogInformation("SMS {Id}: delivery not checked ({Failure})", m.Id, failure);
                return; // Twilio is unwell: ask again next run
            }
            if (delivery.Status is { } word && TwilioWebhooks.ToStatus(word) is { } status and not SmsStatus.Sent)
            {
                var error = delivery.ErrorCode is { } code ? TwilioErrors.Describe(code, null) : null;
                await outbox.RecordReportAsync(m.Sid, m.Id, status, word, error, Clock.GetUtcNow(), ct);
            }
            else await store.MarkCheckedAsync(m.Id, Clock.GetUtcNow(), ct);
        }
    }

    async Task RetryAsync(ClaimedSms m, string reason, bool doubtful, TimeSpan? retryAfter, CancellationToken ct)
    {
        var o = sms.Value;
        var now = Clock.GetUtcNow();
        if (m.Attempts >= o.MaxAttempts)
        {
            var doubt = doubtful || m.DoubtSince is not null ? " ; une tentative sans réponse a pu aboutir" : "";
            Metrics.SmsFailed();
            await store.CloseAsync(m.Id, Name, SmsStatus.Failed, $"abandonné après {m.Attempts} tentatives : {reason}{doubt}", tried: true, now, ct);
            return;
        }
        var wait = SmsRules.RetryDelay(m.Attempts, o.RetryBaseDelay, o.RetryMaxDelay);
        if (retryAfter > wait) wait = retryAfter.Value;
        var next = now + wait;
        if (!m.Urgent) next = SmsRules.QuietUntil(next, SmsRules.Zone(m.TimeZone), o.QuietHoursStart, o.QuietHoursEnd);
        logger.LogInformation("SMS {Id} attempt {Attempt} failed ({Reason}); next at {Next:O}", m.Id, m.Attempts, reason, next);
        await store.RetryAsync(m.Id, Name, next, reason, doubtful, now, ct);
    }

    /// <summary>Where Twilio reports delivery: only when this app's public address is known. The row id rides along.</summary>
    static Uri? StatusCallback(TwilioOptions t, long id) =>
        string.IsNullOrWhiteSpace(t.PublicBaseUrl) ? null : new Uri($"{t.PublicBaseUrl.TrimEnd('/')}{TwilioWebhooks.StatusPath}?id={id}");
}
