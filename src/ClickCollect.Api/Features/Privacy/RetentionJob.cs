using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Api.Features.Fines;
using ClickCollect.Api.Features.Ils;
using ClickCollect.Api.Features.Loans;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Http;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Privacy;

/// <summary>What one run unlinked, blanked or deleted (the job's log line and <c>job_runs.last_result</c>).</summary>
internal sealed record RetentionReport(int Loans, int Holds, int Appointments, int SelectionRequests, int Sms, int InboundSms,
    int IdempotencyAnswers, int SignInAttempts, int AccessLog, int IlsCardNumbers, int AuditEntries);

/// <summary>
/// The daily retention job (issue 16 item 1; PRIVACY.md says which column it clears and when). Pure policy on
/// top of <see cref="RetentionStore"/>: the cut-offs come from <see cref="RetentionOptions"/> and the instant
/// given, so tests run it at any date with the fake clock.
/// </summary>
internal sealed class RetentionJob(Db db, RetentionStore store, FinesStore fines, FineLedgerStore ledger, LockdownStore lockdowns,
    AuditScrub audit, IOptions<RetentionOptions> options)
{
    /// <summary>
    /// The first local date whose returns are still kept: the first day of the month <paramref name="months"/> months
    /// before today's. CNIL: loan data is kept "until the end of the fourth month after the return", so on 1 June a
    /// loan returned in January goes, one returned on 1 February stays until 30 June.
    /// </summary>
    public static DateOnly LoanCutoff(DateOnly today, int months) => new DateOnly(today.Year, today.Month, 1).AddMonths(-months);

    public async Task<RetentionReport> RunAsync(DateTimeOffset now, CancellationToken ct)
    {
        var o = options.Value;
        var today = Slots.SlotCalculator.LocalDate(now, await store.NetworkZoneAsync(db, ct));
        var loans = await UnlinkLoansAsync(now, LoanCutoff(today, o.LoanMonths), patronId: null, everything: false, ct);
        return await db.WriteAsync(async uow =>
        {
            var anonymous = await PatronStore.AnonymousIdAsync(uow, now, ct);
            var (holds, appointments, requests) = await store.UnlinkFinishedAsync(uow,
                new RetentionStore.Scope(anonymous, now.AddMonths(-o.FinishedMonths), null), ct);
            return new RetentionReport(loans, holds, appointments, requests,
                await OutboxStore.BlankSentAsync(uow, now.AddMonths(-o.SmsMonths), null, ct),
                await InboxStore.ForgetOlderAsync(uow, now.AddMonths(-o.InboundSmsMonths), ct),
                await IdempotencyRecords.ForgetOlderAsync(uow, now - o.IdempotencyAnswers, ct),
                await store.ForgetSignInAttemptsAsync(uow, now - o.SignInAttempts, ct),
                await store.ForgetAccessLogAsync(uow, now.AddMonths(-o.AccessLogMonths), ct),
                await IlsOutboxStore.ForgetSentCardNumbersAsync(uow, now - o.IlsOutboxAnswered, ct),
                await audit.ScrubAsync(uow, ct));
        }, ct);
    }

    /// <summary>
    /// Unlinks returned loans (returned before <paramref name="before"/>, a local date) of patrons without a
    /// reading-history consent, or of <paramref name="patronId"/> only. A loan that bore a fine stays linked
    /// while the patron's fines are not settled (the accounting needs it); once they are, and every fined loan
    /// is old enough, the fined loans go together with the patron's payments and waivers, so the balance of
    /// what stays is still right. <paramref name="everything"/> (erasure): every returned loan and the whole
    /// ledger go, consent or not.
    /// </summary>
    public async Task<int> UnlinkLoansAsync(DateTimeOffset now, DateOnly before, long? patronId, bool everything, CancellationToken ct)
    {
        List<long> patrons;
        await using (var uow = await db.WriteAsync(ct))
        {
            patrons = [.. await store.PatronsWithOldLoansAsync(uow, before, patronId, ignoreConsent: everything, ct)];
            await uow.CommitAsync(ct);
        }
        var unlinked = 0;
        foreach (var id in patrons)
        {
            unlinked += await db.WriteAsync(async uow =>
            {
                await uow.LockSharedAsync(LockKeys.Lending, ct);
                await uow.LockAsync(LockKeys.Patron(id), ct);
                return await UnlinkPatronLoansAsync(uow, id, before, everything, now, ct);
            }, ct);
        }
        return unlinked;
    }

    /// <summary>
    /// One patron's part of <see cref="UnlinkLoansAsync"/>, in the caller's unit of work, which holds the
    /// <see cref="LockKeys.Lending"/> (shared) and patron locks a payment takes, so no payment slips in between.
    /// </summary>
    public async Task<int> UnlinkPatronLoansAsync(UnitOfWork uow, long id, DateOnly before, bool everything, DateTimeOffset now, CancellationToken ct)
    {
        var anonymous = await PatronStore.AnonymousIdAsync(uow, now, ct);
        var loans = await fines.PatronLoansAsync(uow, id, ct);
        var statement = FineStatement.Build("", loans, await ledger.EntriesAsync(uow, id, ct), await fines.ContextAsync(uow, ct),
            await lockdowns.PeriodsAsync(uow, ct), now);
        var fined = statement.Lines.Where(l => l.Amount > 0).Select(l => l.LoanId).ToHashSet();
        var old = loans.Where(l => l.ReturnedOn is { } r && r < before).Select(l => l.Id).ToHashSet();
        var settled = statement.Balance == 0 && statement.Credit == 0 && fined.IsSubsetOf(old);
        var ids = old.Where(l => !fined.Contains(l) || settled || everything).ToList();
        var n = await LoanStore.UnlinkAsync(uow, anonymous, id, ids, ct);
        if ((settled && fined.Count > 0) || everything) await FineLedgerStore.UnlinkAsync(uow, anonymous, id, ct);
        return n;
    }
}

/// <summary>Runs <see cref="RetentionJob"/> once a day across every instance (the day is claimed in <c>job_runs</c>).</summary>
internal sealed class RetentionWorker(Db db, RetentionJob job, RetentionStore store, IOptions<RetentionOptions> options, ClickCollectMetrics metrics, TimeProvider clock,
    ILogger<RetentionWorker> logger) : PeriodicWorker(clock, logger, options.Value.CheckInterval, metrics)
{
    public const string JobName = "retention";

    /// <summary>Runs today's retention unless another instance (or an earlier tick) already has; true when this call ran it.</summary>
    public async Task<bool> RunTodayAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        var today = Slots.SlotCalculator.LocalDate(now, await store.NetworkZoneAsync(db, ct));
        if (!await store.ClaimDayAsync(db, JobName, today, now, ct)) return false;
        RetentionReport report;
        try
        {
            report = await job.RunAsync(now, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.ReleaseAsync(db, JobName, "failed: " + e.Message, Clock.GetUtcNow(), CancellationToken.None);
            throw;
        }
        logger.LogInformation("Retention: {Report}", report);
        await store.FinishAsync(db, JobName, report.ToString(), Clock.GetUtcNow(), ct);
        return true;
    }

    public override Task RunOnceAsync(CancellationToken ct) => RunTodayAsync(ct);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.RunInBackground ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;
}
