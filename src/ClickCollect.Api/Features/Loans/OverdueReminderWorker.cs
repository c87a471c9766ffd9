using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Jobs;
using Dapper;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.Loans;

/// <summary>
/// Queues overdue reminders (SMS outbox) at the configured offsets after each open loan's due date, in
/// the copy's branch's dates; never on a day a lockdown suspends reminders for that branch. The outbox's
/// dedupe key <c>overdue:{loan}:{offset}:{dueOn}</c> makes "never twice" a constraint, across runs and
/// app instances; the sending is the notifications feature's.
/// </summary>
internal sealed class OverdueReminderWorker(Db db, LockdownStore lockdowns, OutboxStore outbox, IOptions<OverdueReminderOptions> options,
    ClickCollectMetrics metrics, TimeProvider clock, ILogger<OverdueReminderWorker> logger) : PeriodicWorker(clock, logger, options.Value.Interval, metrics)
{
    sealed class DueLoan
    {
        public long Id { get; init; }
        public long PatronId { get; init; }
        public long BranchId { get; init; }
        public string TimeZone { get; init; } = "";
        public string Title { get; init; } = "";
        public DateOnly DueOn { get; init; }
    }

    const string CandidatesSql = """
        select l.id from loans l
        where l.returned_on is null and l.due_on is not null and l.due_on <= @LatestDue
        order by l.id
        """;
    static string DueSql(SqlDialect sql) => $"""
        select l.id, l.patron_id, c.branch_id, b.time_zone, t.title, l.due_on
        from loans l
        join copies c on c.id = l.copy_id
        join titles t on t.id = c.title_id
        join branches b on b.id = c.branch_id
        where {sql.InKeys("l.id", "@Ids")} and l.returned_on is null and l.due_on is not null
        """;
    static string SentSql(SqlDialect sql) => $"select dedupe_key from sms_outbox where {sql.InKeys("dedupe_key", "@Keys")}";

    /// <summary>Loans per unit of work: a lockdown change waits for one batch at most, not for a whole burst.</summary>
    const int BatchSize = 500;

    public override async Task RunOnceAsync(CancellationToken ct)
    {
        var queued = await QueueAsync(ct);
        if (queued > 0) logger.LogInformation("{Count} overdue reminders queued", queued);
    }

    /// <summary>Queues what is owed now; returns how many reminders were queued.</summary>
    public async Task<int> QueueAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        var offsets = options.Value.Offsets;
        // No branch's date is more than a day ahead of UTC's.
        var latestDue = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1 - offsets[0]);
        List<long> candidates;
        await using (var c = await db.OpenAsync(ct))
            candidates = (await c.QueryAsync<long>(new CommandDefinition(CandidatesSql, new { LatestDue = latestDue }, cancellationToken: ct))).AsList();

        var queued = 0;
        foreach (var batch in candidates.Chunk(BatchSize))
            queued += await QueueAsync(batch, now, offsets, ct);
        return queued;
    }

    async Task<int> QueueAsync(long[] loanIds, DateTimeOffset now, int[] offsets, CancellationToken ct)
    {
        await using var uow = await db.WriteAsync(ct);
        // Shared: no lockdown change is half-way while due dates and suspensions are read, and what is
        // read here (not in the candidates' query) is what the reminders are computed from.
        await uow.LockSharedAsync(LockKeys.Lending, ct);
        var periods = await lockdowns.PeriodsAsync(uow, ct);
        var owed = new List<(DueLoan Loan, int Offset, string Key)>();
        foreach (var loan in await uow.QueryAsync<DueLoan>(DueSql(uow.Dialect), new { Ids = uow.Dialect.KeyList(loanIds) }, ct))
        {
            var today = SlotCalculator.LocalDate(now, TimeZoneInfo.FindSystemTimeZoneById(loan.TimeZone));
            if (LockdownRules.SuspendsReminders(today, periods.For(loan.BranchId))) continue;
            if (OverdueReminders.OffsetReached(loan.DueOn, today, offsets) is not { } offset) continue;
            owed.Add((loan, offset, OverdueReminders.DedupeKey(loan.Id, offset, loan.DueOn)));
        }
        if (owed.Count == 0) return 0;

        // Most are already queued (the job runs every hour): skip those without an insert each.
        var sent = (await uow.QueryAsync<string>(SentSql(uow.Dialect), new { Keys = uow.Dialect.KeyList(owed.Select(o => o.Key).ToList()) }, ct))
            .ToHashSet(StringComparer.Ordinal);
        var queued = 0;
        foreach (var (loan, offset, key) in owed.Where(o => !sent.Contains(o.Key)))
        {
            var message = new OutboxMessage(loan.PatronId, "overdue", OverdueReminders.Message(loan.Title, loan.DueOn, offset), now, DedupeKey: key);
            if (await outbox.EnqueueAsync(uow, message, now, ct)) queued++;
        }
        await uow.CommitAsync(ct);
        return queued;
    }
}
