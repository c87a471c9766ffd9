using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Ils;
using ClickCollect.Api.Features.Loans;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Features.Slots;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Appointments;

/// <param name="DueOn">Null while an open-ended lockdown holds due dates: due after it ends.</param>
internal sealed record ReceiptLine(long HoldId, long LoanId, string Title, string Barcode, DateOnly? DueOn);

/// <summary>A copy the library system refused to lend (issue #13): it stays on its hold, the reason is shown to staff.</summary>
internal sealed record RefusedLine(long HoldId, string Title, string Barcode, string Reason);

/// <summary>What the patron takes home: printed or shown at the counter.</summary>
/// <param name="Refused">Copies the library system refused (Ils:Provider=sip2); they stay Ready.</param>
/// <param name="WaitingForLibrarySystem">Checkouts queued because the library system did not answer.</param>
internal sealed record HandOverReceipt(long AppointmentId, string PatronCardNumber, string PatronName, string PickupPointName,
    DateTimeOffset HandedOverAt, IReadOnlyList<ReceiptLine> Loans, IReadOnlyList<string> NotReady,
    IReadOnlyList<RefusedLine> Refused, int WaitingForLibrarySystem);

/// <summary>
/// The hand-over at the counter or the bibliobus door: every Ready hold of the appointment is checked
/// out in one unit of work (loans with due dates from the loan policy, holds Collected, the
/// appointment Completed). Holds not yet staged stay as they are, for another day.
/// </summary>
internal static class HandOver
{
    public static async Task<Results<Ok<HandOverReceipt>, ProblemHttpResult>> HandOverAsync(
        long id, AppointmentStore appointments, HoldStore holds, LoanStore loans, PatronStore patrons, SlotStore slots, Db db,
        IlsTransactions ils, IlsOutboxStore ilsOutbox, TimeProvider clock, CancellationToken ct)
    {
        if (await appointments.GetAsync(id, ct) is not { } appointment) return Problems.NotFound("Le rendez-vous", id);
        if (!AppointmentStatuses.Open.Contains(appointment.Status)) return Closed(appointment);
        var patron = (await patrons.FindByCardAsync(appointment.PatronCardNumber, ct))!;
        if (patron.BlockedReason is { } reason)
            return Problems.Conflict("patron_blocked", "Carte bloquée", $"Prêt impossible : {reason}");
        var ready = appointment.Holds.Where(h => h.Status == HoldStatus.Ready).ToList();
        // None ready may also mean another click handed them over between the two statements of that read (PostgreSQL,
        // READ COMMITTED: the appointment read before its commit, its holds after): judged on the appointment as it is now.
        if (ready.Count == 0)
            return await appointments.GetAsync(id, ct) is { } current && !AppointmentStatuses.Open.Contains(current.Status)
                ? Closed(current)
                : Problems.Conflict("nothing_ready", "Rien à remettre", "Aucun document de ce rendez-vous n'est encore prêt.");

        var calendar = (await slots.LoadAsync(appointment.PickupPointId, ct))!;
        var now = clock.GetUtcNow();
        var today = calendar.Today(now);
        // With the library system, the checkouts below go out before the unit of work: the appointment is claimed
        // first (a conditional update, no lock held across the network), so a second click does not check the
        // copies out again, which the library system may take for a renewal (#18).
        DateTimeOffset? claim = null;
        if (ils.Enabled)
        {
            var until = now + ils.AtMost(ready.Count) + TimeSpan.FromMinutes(1);
            claim = until.AddTicks(-(until.Ticks % TimeSpan.TicksPerSecond));
            if (!await appointments.ClaimHandOverAsync(id, now, claim.Value, ct))
                return await appointments.GetAsync(id, ct) is { } again && !AppointmentStatuses.Open.Contains(again.Status)
                    ? Closed(again)
                    : Problems.Conflict("handover_in_progress", "Remise en cours",
                        "Ce rendez-vous est déjà en train d'être remis, à ce poste ou à un autre : attendez son reçu.");
        }
        var completed = false;
        try
        {
            var receipt = await HandOverClaimedAsync(id, appointment, patron, ready, today, now, appointments, holds, loans, db, ils, ilsOutbox, ct);
            completed = receipt.Result is Ok<HandOverReceipt>;
            return receipt;
        }
        finally
        {
            if (claim is { } held && !completed) await appointments.ReleaseHandOverAsync(id, held, CancellationToken.None);
        }
    }

    static async Task<Results<Ok<HandOverReceipt>, ProblemHttpResult>> HandOverClaimedAsync(long id, AppointmentResponse appointment, PatronRow patron,
        List<AppointmentHold> ready, DateOnly today, DateTimeOffset now, AppointmentStore appointments, HoldStore holds, LoanStore loans, Db db,
        IlsTransactions ils, IlsOutboxStore ilsOutbox, CancellationToken ct)
    {
        var readyHolds = new List<HoldRow>();
        foreach (var h in ready) readyHolds.Add((await holds.GetAsync(h.HoldId, ct))!); // read before the unit of work holds a connection
        // With the library system as the record of loans, each copy is checked out there first (outside
        // the unit of work: no network call while holding the write lock); a refusal keeps the copy on its hold.
        var refused = new List<RefusedLine>();
        var libraryDue = new Dictionary<long, DateOnly?>();
        var queued = new List<HoldRow>();
        if (ils.Enabled)
        {
            foreach (var hold in readyHolds.ToList())
            {
                var barcode = hold.Barcode ?? "";
                var outcome = queued.Count > 0 ? new IlsCheckoutOutcome.Queue() : await ils.CheckoutAsync(patron.CardNumber, barcode, ct);
                switch (outcome)
                {
                    case IlsCheckoutOutcome.Refused(var why):
                        refused.Add(new RefusedLine(hold.Id, hold.Title, barcode, why));
                        readyHolds.Remove(hold);
                        break;
                    case IlsCheckoutOutcome.Lent(var due):
                        libraryDue[hold.Id] = due;
                        break;
                    default:
                        queued.Add(hold);
                        break;
                }
            }
            if (readyHolds.Count == 0)
                return Problems.Conflict("checkout_refused", "Prêt refusé par le système de la bibliothèque",
                    string.Join(" ; ", refused.Select(r => $"« {r.Title} » ({r.Barcode}) : {r.Reason}")));
        }
        var lines = new List<ReceiptLine>();
        await using (var uow = await db.WriteAsync(ct))
        {
            // The lending lock (shared), then the patron's, in LockKeys' order, before anything is written: two
            // hand-overs of one appointment at once (a double click, on one instance or two) run one after the
            // other, and the second, finding the appointment completed, says so; it was told "copy unavailable"
            // by the first one's loan (#18).
            await uow.LockSharedAsync(LockKeys.Lending, ct);
            await uow.LockAsync(LockKeys.Patron(patron.Id), ct);
            if (await AppointmentStore.GetAsync(uow, id, ct) is { } current && !AppointmentStatuses.Open.Contains(current.Status))
                return Closed(current);
            // Loans first: LoanStore.CreateAsync takes the lending lock before anything else is written.
            foreach (var hold in readyHolds)
            {
                if (await loans.CreateAsync(uow, patron.Id, hold.CopyId!.Value, today, ct, libraryDue.GetValueOrDefault(hold.Id)) is not { } loan)
                    return Problems.Conflict("copy_unavailable", "Exemplaire indisponible", $"« {hold.Title} » ne peut pas être prêté ({hold.Barcode}).");
                lines.Add(new ReceiptLine(hold.Id, loan.Id, hold.Title, hold.Barcode ?? "", loan.DueOn));
            }
            foreach (var hold in queued) await ilsOutbox.EnqueueAsync(uow, "checkout", patron.CardNumber, hold.Barcode ?? "", now, ct);
            foreach (var line in lines) await holds.CollectAsync(uow, line.HoldId, now, ct);
            await appointments.CompleteAsync(uow, id, now, ct);
            await uow.CommitAsync(ct);
        }
        return TypedResults.Ok(new HandOverReceipt(id, appointment.PatronCardNumber, appointment.PatronName, appointment.PickupPointName, now,
            lines, appointment.Holds.Where(h => h.Status != HoldStatus.Ready).Select(h => h.Title).ToList(), refused, queued.Count));
    }

    static ProblemHttpResult Closed(AppointmentResponse appointment) =>
        Problems.Conflict("appointment_closed", "Rendez-vous terminé", $"Le rendez-vous est « {DapperSetup.ToDb(appointment.Status)} ».");
}
