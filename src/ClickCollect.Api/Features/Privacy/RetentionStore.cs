using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Fines;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Ils;
using ClickCollect.Api.Features.Loans;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Features.Staff;
using ClickCollect.Api.Features.SurpriseSelections;
using ClickCollect.Api.Infrastructure.Http;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Features.Privacy;

/// <summary>
/// What the retention job and an erasure unlink and blank (issue 16), each table through its owner (ARCHITECTURE.md):
/// every method takes a cut-off instant and, where it makes sense, one patron (an erasure) or none (everybody). A
/// record is never deleted where a figure counts it: it is pointed at the one anonymous patron row instead
/// (<see cref="PatronStore.AnonymousIdAsync"/>). The tables Privacy owns (<c>patron_access_log</c>, <c>job_runs</c>)
/// are written here.
/// </summary>
internal sealed class RetentionStore
{
    /// <summary>The card number of the anonymous row; "~" is refused by every card number validator.</summary>
    public const string AnonymousCard = PatronStore.AnonymousCard;

    /// <summary>Which records to touch: older than <see cref="Before"/>, of one patron or of everybody.</summary>
    public sealed record Scope(long Anonymous, DateTimeOffset Before, long? PatronId);

    /// <summary>Finished holds, appointments and selection requests ended before the cut-off lose their patron (and tastes).</summary>
    public async Task<(int Holds, int Appointments, int SelectionRequests)> UnlinkFinishedAsync(UnitOfWork uow, Scope scope, CancellationToken ct) =>
        (await HoldStore.UnlinkFinishedAsync(uow, scope.Anonymous, scope.Before, scope.PatronId, ct),
         await AppointmentStore.UnlinkFinishedAsync(uow, scope.Anonymous, scope.Before, scope.PatronId, ct),
         await SelectionStore.UnlinkFinishedAsync(uow, scope.Anonymous, scope.Before, scope.PatronId, ct));

    static string LoanPatronsSql(long? patronId) => $"""
        select distinct l.patron_id from loans l join patrons p on p.id = l.patron_id
        where l.returned_on < @Before and not p.anonymous {(patronId is null ? "" : "and l.patron_id = @PatronId")}
          and (@IgnoreConsent or not p.history_consent)
        """;

    /// <summary>Patrons with a loan returned before <paramref name="before"/> (a local date) and no reading-history consent.</summary>
    public async Task<IReadOnlyList<long>> PatronsWithOldLoansAsync(UnitOfWork uow, DateOnly before, long? patronId, bool ignoreConsent,
        CancellationToken ct) =>
        (await uow.QueryAsync<long>(LoanPatronsSql(patronId), new { Before = before, PatronId = patronId, IgnoreConsent = ignoreConsent }, ct)).AsList();

    const string ForgetAccessLogSql = "delete from patron_access_log where occurred_at < @Before";

    public Task<int> ForgetAccessLogAsync(UnitOfWork uow, DateTimeOffset before, CancellationToken ct) =>
        uow.ExecuteAsync(ForgetAccessLogSql, new { Before = before }, ct);

    public async Task<int> ForgetSignInAttemptsAsync(UnitOfWork uow, DateTimeOffset before, CancellationToken ct) =>
        await PatronStore.ForgetSignInAttemptsAsync(uow, before, ct) + await StaffStore.ForgetSignInAttemptsAsync(uow, before, ct);

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
