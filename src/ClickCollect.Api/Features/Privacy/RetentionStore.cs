using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Privacy;

/// <summary>
/// The statements that unlink and blank personal data (issue 16). Each takes a cut-off instant and an optional
/// patron: the daily retention job runs them for everybody with the periods of <see cref="RetentionOptions"/>,
/// an erasure runs them for one patron with no age limit. A record is never deleted where a figure counts it:
/// it is pointed at the one anonymous patron row (patrons.anonymous, Koha's "AnonymousPatron") instead,
/// because <c>patron_id</c> is not null on loans, holds, appointments, requests and the fine ledger.
/// </summary>
internal sealed class RetentionStore
{
    /// <summary>The card number of the anonymous row; "~" is refused by every card number validator.</summary>
    public const string AnonymousCard = "~anonyme";

    const string CreateAnonymousSql = """
        insert into patrons (card_number, pin_hash, first_name, last_name, sms_consent, anonymous, blocked_reason, created_at, deactivated_at)
        select @Card, '', 'Lecteur', 'anonyme', @No, @Yes, 'Compte technique : les données anonymisées y sont rattachées.', @Now, @Now
        where not exists (select 1 from patrons where anonymous = @Yes)
        on conflict do nothing
        """;
    const string AnonymousIdSql = "select id from patrons where anonymous = @Yes";

    /// <summary>The anonymous patron's id, the row created on first use.</summary>
    public async Task<long> AnonymousIdAsync(UnitOfWork uow, DateTimeOffset now, CancellationToken ct)
    {
        await uow.ExecuteAsync(CreateAnonymousSql, new { Card = AnonymousCard, Yes = true, No = false, Now = now }, ct);
        return await uow.QuerySingleAsync<long>(AnonymousIdSql, new { Yes = true }, ct);
    }

    /// <summary>Which records to touch: older than <see cref="Before"/>, of one patron or of everybody.</summary>
    public sealed record Scope(long Anonymous, DateTimeOffset Before, long? PatronId);

    const string UnlinkHoldsSql = $"""
        update holds set patron_id = @Anonymous
        where patron_id <> @Anonymous and (@PatronId is null or patron_id = @PatronId)
          and status in {HoldStatuses.FinishedSql} and coalesce(closed_at, updated_at) < @Before
        """;
    const string UnlinkAppointmentsSql = $"""
        update appointments set patron_id = @Anonymous
        where patron_id <> @Anonymous and (@PatronId is null or patron_id = @PatronId)
          and status in {AppointmentStatuses.ClosedSql} and coalesce(closed_at, slot_end) < @Before
        """;
    // The tastes and notes go; pickup point, count, audience, formats, languages, dates and status stay for the figures.
    const string UnlinkSelectionRequestsSql = """
        update selection_requests
        set patron_id = @Anonymous, genres = '[]', liked_authors = '[]', liked_titles = '[]', avoid = '[]', notes = '',
            librarian_note = '', proposal_summary = null
        where patron_id <> @Anonymous and (@PatronId is null or patron_id = @PatronId)
          and status in ('confirmed', 'cancelled') and coalesce(confirmed_at, cancelled_at, updated_at) < @Before
        """;

    /// <summary>Finished holds, appointments and selection requests ended before the cut-off lose their patron (and tastes).</summary>
    public async Task<(int Holds, int Appointments, int SelectionRequests)> UnlinkFinishedAsync(UnitOfWork uow, Scope scope, CancellationToken ct) =>
        (await uow.ExecuteAsync(UnlinkHoldsSql, scope, ct),
         await uow.ExecuteAsync(UnlinkAppointmentsSql, scope, ct),
         await uow.ExecuteAsync(UnlinkSelectionRequestsSql, scope, ct));

    const string LoanPatronsSql = """
        select distinct l.patron_id from loans l join patrons p on p.id = l.patron_id
        where l.returned_on < @Before and not p.anonymous and (@PatronId is null or l.patron_id = @PatronId)
          and (@IgnoreConsent or not p.history_consent)
        """;

    /// <summary>Patrons with a loan returned before <paramref name="before"/> (a local date) and no reading-history consent.</summary>
    public async Task<IReadOnlyList<long>> PatronsWithOldLoansAsync(UnitOfWork uow, DateOnly before, long? patronId, bool ignoreConsent,
        CancellationToken ct) =>
        (await uow.QueryAsync<long>(LoanPatronsSql, new { Before = before, PatronId = patronId, IgnoreConsent = ignoreConsent }, ct)).AsList();

    static string UnlinkLoansSql(SqlDialect sql) => $"update loans set patron_id = @Anonymous where patron_id = @PatronId and {sql.InKeys("id", "@Ids")}";
    const string UnlinkLedgerSql = "update fine_ledger set patron_id = @Anonymous, note = '' where patron_id = @PatronId";

    public async Task<int> UnlinkLoansAsync(UnitOfWork uow, long anonymous, long patronId, IReadOnlyList<long> loanIds, CancellationToken ct) =>
        loanIds.Count == 0 ? 0
            : await uow.ExecuteAsync(UnlinkLoansSql(uow.Dialect), new { Anonymous = anonymous, PatronId = patronId, Ids = uow.Dialect.KeyList(loanIds) }, ct);

    /// <summary>The patron's payments and waivers go with their fined loans, so neither side of their balance is left behind.</summary>
    public Task<int> UnlinkLedgerAsync(UnitOfWork uow, long anonymous, long patronId, CancellationToken ct) =>
        uow.ExecuteAsync(UnlinkLedgerSql, new { Anonymous = anonymous, PatronId = patronId }, ct);

    // Messages still to send keep what they need; finished ones keep kind, status, segments, branch and dates.
    const string BlankSmsSql = """
        update sms_outbox set body = '', to_number = null, patron_id = null
        where (body <> '' or to_number is not null or patron_id is not null) and (@PatronId is null or patron_id = @PatronId)
          and status not in ('pending', 'sending') and created_at < @Before
        """;

    public Task<int> BlankSmsAsync(UnitOfWork uow, DateTimeOffset before, long? patronId, CancellationToken ct) =>
        uow.ExecuteAsync(BlankSmsSql, new { Before = before, PatronId = patronId }, ct);

    const string ForgetInboundSql = "delete from sms_confirmations where created_at < @Before";
    const string ForgetIdempotencySql = "delete from idempotency_keys where created_at < @Before";
    const string ForgetAccessLogSql = "delete from patron_access_log where occurred_at < @Before";
    const string ForgetIlsCardsSql = "update ils_outbox set card_number = null where card_number is not null and sent_at < @Before";
    static string ForgetSignInsSql(string table) =>
        $"update {table} set failed_sign_ins = 0, locked_until = null where locked_until < @Before";

    public Task<int> ForgetInboundSmsAsync(UnitOfWork uow, DateTimeOffset before, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetInboundSql, new { Before = before }, ct);

    public Task<int> ForgetIdempotencyAnswersAsync(UnitOfWork uow, DateTimeOffset before, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetIdempotencySql, new { Before = before }, ct);

    public Task<int> ForgetAccessLogAsync(UnitOfWork uow, DateTimeOffset before, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetAccessLogSql, new { Before = before }, ct);

    public Task<int> ForgetIlsCardNumbersAsync(UnitOfWork uow, DateTimeOffset before, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetIlsCardsSql, new { Before = before }, ct);

    public async Task<int> ForgetSignInAttemptsAsync(UnitOfWork uow, DateTimeOffset before, CancellationToken ct) =>
        await uow.ExecuteAsync(ForgetSignInsSql("patrons"), new { Before = before }, ct)
        + await uow.ExecuteAsync(ForgetSignInsSql("staff"), new { Before = before }, ct);

    // -- job_runs: once a day across every instance --------------------------------------------------------------

    const string EnsureJobSql = "insert into job_runs (job) values (@Job) on conflict (job) do nothing";
    const string ClaimSql = """
        update job_runs set last_run_on = @Today, last_started_at = @Now, last_finished_at = null, last_result = null
        where job = @Job and (last_run_on is null or last_run_on < @Today)
        """;
    const string FinishSql = "update job_runs set last_finished_at = @Now, last_result = @Result where job = @Job";

    /// <summary>
    /// Claims <paramref name="today"/>'s run of <paramref name="job"/>: one conditional update, so of several
    /// instances asking at once exactly one gets true.
    /// </summary>
    public async Task<bool> ClaimDayAsync(Db db, string job, DateOnly today, DateTimeOffset now, CancellationToken ct) =>
        await db.WriteAsync(async uow =>
        {
            await uow.ExecuteAsync(EnsureJobSql, new { Job = job }, ct);
            return await uow.ExecuteAsync(ClaimSql, new { Job = job, Today = today, Now = now }, ct);
        }, ct) == 1;

    const string ReleaseSql = "update job_runs set last_run_on = null, last_finished_at = @Now, last_result = @Result where job = @Job";

    /// <summary>A run that failed gives the day back, so the next check (any instance) tries again.</summary>
    public Task ReleaseAsync(Db db, string job, string result, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(uow => uow.ExecuteAsync(ReleaseSql, new { Job = job, Result = result.Length > 1000 ? result[..1000] : result, Now = now }, ct), ct);

    const string ZoneSql = "select time_zone from branches order by id limit 1";

    /// <summary>The zone the network's dates are read in: its first branch's, Europe/Paris when there is none.</summary>
    public async Task<TimeZoneInfo> NetworkZoneAsync(Db db, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var id = await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(ZoneSql, cancellationToken: ct));
        return TimeZoneInfo.FindSystemTimeZoneById(id ?? Network.BranchRequest.DefaultTimeZone);
    }

    public Task FinishAsync(Db db, string job, string result, DateTimeOffset now, CancellationToken ct) =>
        db.WriteAsync(uow => uow.ExecuteAsync(FinishSql, new { Job = job, Result = result.Length > 1000 ? result[..1000] : result, Now = now }, ct), ct);
}
