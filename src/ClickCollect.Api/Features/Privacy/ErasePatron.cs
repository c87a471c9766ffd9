using ClickCollect.Api.Features.Appointments;
using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Features.Fines;
using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Ils;
using ClickCollect.Api.Features.Lockdowns;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;

namespace ClickCollect.Api.Features.Privacy;

/// <summary>Why an erasure cannot be done yet: <c>code</c> for programs, <c>count</c>, and a sentence for people.</summary>
internal sealed record ErasureBlocker(string Code, int Count, string Message);

internal abstract record ErasureOutcome
{
    public sealed record Erased(int Loans, int Holds, int Appointments, int SelectionRequests, int Sms) : ErasureOutcome;
    public sealed record Blocked(IReadOnlyList<ErasureBlocker> Reasons) : ErasureOutcome;
}

/// <summary>
/// Erasing a patron (issue 16 item 2), in one unit of work: every record keeps counting for the figures but is
/// pointed at the anonymous patron, free text and numbers go, and the patron row keeps only its internal id
/// (card <c>~efface-{id}</c>, no name, no contact). Refused, with the reasons, while documents are out, fines are
/// due, or reservations are under way. Audited without naming the patron; the staff access log says who did it.
/// </summary>
internal sealed class ErasePatron(RetentionStore retention, RetentionJob loans, FinesStore fines, FineLedgerStore ledger, LockdownStore lockdowns,
    AuditStore audit, AuditScrub scrub, PatronAccessLog accessLog, SessionStore sessions)
{
    const string CountsSql = $"""
        select
          (select count(*) from loans where patron_id = @Id and returned_on is null) as open_loans,
          (select count(*) from holds where patron_id = @Id and status in {HoldStatuses.ActiveSql}) as active_holds,
          (select count(*) from appointments where patron_id = @Id and status in {AppointmentStatuses.OpenSql}) as active_appointments,
          (select count(*) from selection_requests where patron_id = @Id and status in ('open', 'claimed', 'proposed')) as open_requests
        """;

    static readonly System.Globalization.CultureInfo French = System.Globalization.CultureInfo.GetCultureInfo("fr-FR");

    sealed class Counts { public int OpenLoans { get; init; } public int ActiveHolds { get; init; } public int ActiveAppointments { get; init; } public int OpenRequests { get; init; } }

    /// <summary>What stands in the way of erasing the patron now (empty: nothing).</summary>
    public async Task<IReadOnlyList<ErasureBlocker>> BlockersAsync(UnitOfWork uow, long patronId, DateTimeOffset now, CancellationToken ct)
    {
        var counts = await uow.QuerySingleAsync<Counts>(CountsSql, new { Id = patronId }, ct);
        var statement = FineStatement.Build("", await fines.PatronLoansAsync(uow, patronId, ct), await ledger.EntriesAsync(uow, patronId, ct),
            await fines.ContextAsync(uow, ct), await lockdowns.PeriodsAsync(uow, ct), now);
        var reasons = new List<ErasureBlocker>();
        if (counts.OpenLoans > 0)
            reasons.Add(new("loans_out", counts.OpenLoans, $"{counts.OpenLoans} document(s) encore en prêt : ils doivent être rendus."));
        if (statement.Balance > 0)
            reasons.Add(new("fines_due", statement.Balance, $"{(statement.Balance / 100m).ToString("0.00", French)} € d'amendes restent à régler."));
        if (counts.ActiveHolds > 0)
            reasons.Add(new("holds_active", counts.ActiveHolds, $"{counts.ActiveHolds} réservation(s) en cours : annulez-les ou retirez les documents."));
        if (counts.ActiveAppointments > 0)
            reasons.Add(new("appointments_active", counts.ActiveAppointments, $"{counts.ActiveAppointments} rendez-vous à venir : annulez-les d'abord."));
        if (counts.OpenRequests > 0)
            reasons.Add(new("selections_open", counts.OpenRequests, $"{counts.OpenRequests} demande(s) de sélection surprise en cours."));
        return reasons;
    }

    // A staff page's address may carry the card number ("#/lecteur/P0042"): the log keeps who and when, not that.
    const string ForgetPagesSql = "update patron_access_log set page = '' where patron_id = @Id and upper(page) like upper(@CardLike)";

    public async Task<ErasureOutcome> EraseAsync(UnitOfWork uow, PatronRow patron, CurrentUser staff, string page, DateTimeOffset now, CancellationToken ct)
    {
        await uow.LockSharedAsync(LockKeys.Lending, ct);
        await uow.LockAsync(LockKeys.Patron(patron.Id), ct);
        var blockers = await BlockersAsync(uow, patron.Id, now, ct);
        if (blockers.Count > 0) return new ErasureOutcome.Blocked(blockers);

        var anonymous = await PatronStore.AnonymousIdAsync(uow, now, ct);
        var unlinkedLoans = await loans.UnlinkPatronLoansAsync(uow, patron.Id, DateOnly.MaxValue, everything: true, now, ct);
        var (holds, appointments, requests) = await retention.UnlinkFinishedAsync(uow,
            new RetentionStore.Scope(anonymous, now.AddYears(100), patron.Id), ct);
        var sms = await OutboxStore.EraseAsync(uow, patron.Id, patron.Phone, ct);
        if (patron.Phone is not null) await InboxStore.ForgetConfirmationAsync(uow, patron.Phone, ct);
        await IdempotencyRecords.ForgetPatronAsync(uow, patron.Id, patron.CardNumber, ct);
        await IlsOutboxStore.ForgetCardAsync(uow, patron.CardNumber, ct);
        await uow.ExecuteAsync(ForgetPagesSql, new { patron.Id, CardLike = $"%{patron.CardNumber}%" }, ct);
        await scrub.ScrubAsync(uow, ct); // while the card number still finds the internal id
        // Every table with a patron_id is handled above, by its owner; PatronDataTests fails on one added and forgotten.
        // The patron's open sessions end with the erasure: a token or cookie issued before it is refused after.
        await sessions.EndAllAsync(uow, Roles.Patron, patron.Id, null, ct);
        await PatronStore.TombstoneAsync(uow, patron.Id, now, ct);
        var erased = new ErasureOutcome.Erased(unlinkedLoans, holds, appointments, requests, sms);
        await audit.WriteAsync(uow, staff, "patron.erased", "patrons", patron.Id, erased, now, ct);
        await accessLog.RecordAsync(uow, staff, patron.Id, PatronAccess.Erase, page, ct);
        return erased;
    }
}
