using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Features.Ils;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>The copies the librarian settles on (usually the bundle's), and optionally the note to the patron.</summary>
internal sealed record ConfirmSelectionRequest(IReadOnlyList<long> CopyIds, string? Note = null);

internal sealed class ConfirmSelectionRequestValidator : AbstractValidator<ConfirmSelectionRequest>
{
    public ConfirmSelectionRequestValidator()
    {
        RuleFor(r => r.CopyIds).NotEmpty().WithMessage("Choisissez au moins un exemplaire.")
            .Must(ids => ids.Count <= 10).WithMessage("10 exemplaires au plus.")
            .Must(ids => ids.Distinct().Count() == ids.Count).WithMessage("Chaque exemplaire une seule fois.");
        RuleForEach(r => r.CopyIds).GreaterThan(0);
        RuleFor(r => r.Note).MaximumLength(SelectionNoteRequest.MaxLength);
    }
}

/// <summary>
/// Confirming a selection: one hold per chosen copy, channel <c>selection</c>, ALL OR NONE in one
/// unit of work. A copy taken meanwhile (by a hold, another request's bundle, a loss) refuses the
/// whole confirmation and the answer names it; nothing is written. The holds join the pick list as
/// any allocated hold does, and the patron's "selection ready" message is queued in the same
/// transaction.
/// </summary>
internal static class ConfirmSelection
{
    public static async Task<Results<Ok<SelectionRequestResponse>, ProblemHttpResult>> Handle(
        long id, ConfirmSelectionRequest request, CurrentUser user, SelectionWorkbench bench, SelectionStore requests,
        ProposalStore proposals, HoldStore holds, OutboxStore outbox, IlsItemCheck ilsItems, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await requests.GetAsync(id, clock.GetUtcNow(), ct) is { } selection) // Ils:Provider=sip2: a copy lent there is refused below
            foreach (var copyId in request.CopyIds) await ilsItems.CheckAsync(null, copyId, selection.PickupPointId, ct);
        var now = clock.GetUtcNow();
        ProblemHttpResult? refused;
        await using (var uow = await db.WriteAsync(ct))
        {
            var work = await bench.BeginAsync(uow, id, user, now, ct);
            refused = work.Problem ?? await ConfirmAsync(uow, work.Row!, request, user, requests, proposals, holds, outbox, now, ct);
            if (refused is null) await uow.CommitAsync(ct);
        }
        if (refused is not null) return refused;
        return TypedResults.Ok(await bench.DetailAsync((await requests.GetAsync(id, now, ct))!, forStaff: true, now, ct));
    }

    static async Task<ProblemHttpResult?> ConfirmAsync(UnitOfWork uow, SelectionRow row, ConfirmSelectionRequest request, CurrentUser user,
        SelectionStore requests, ProposalStore proposals, HoldStore holds, OutboxStore outbox, DateTimeOffset now, CancellationToken ct)
    {
        var copyIds = request.CopyIds;
        var elsewhere = await proposals.ReservedElsewhereAsync(uow, row.Id, copyIds, ct);
        for (var i = 0; i < copyIds.Count; i++)
            if (elsewhere.Contains(copyIds[i]))
                return await CopyUnavailableAsync(uow, proposals, i, copyIds[i], "est réservé par la sélection d'un autre lecteur", ct);

        var holdIds = new List<long>();
        for (var i = 0; i < copyIds.Count; i++)
        {
            // The librarian's choice, on the patron's request: the web limit on active holds does not apply.
            var hold = new NewHold(row.PatronId, null, copyIds[i], row.PickupPointId, HoldChannel.Selection, user.Id, now);
            var outcome = await holds.PlaceAsync(uow, hold, int.MaxValue, ct);
            switch (outcome)
            {
                case PlaceHoldOutcome.Placed(var holdId) when await proposals.HoldGotCopyAsync(uow, holdId, copyIds[i], ct):
                    holdIds.Add(holdId);
                    break;
                case PlaceHoldOutcome.AlreadyHeld:
                    return await CopyUnavailableAsync(uow, proposals, i, copyIds[i], "est un titre que le lecteur a déjà en réservation", ct, "already_held");
                default: // queued behind the copy's current holder, lost, withdrawn or unknown
                    return await CopyUnavailableAsync(uow, proposals, i, copyIds[i], "n'est plus disponible", ct);
            }
        }

        if (request.Note is { } note) await requests.SetNoteAsync(uow, row.Id, note, now, ct);
        if (!await requests.ConfirmAsync(uow, row.Id, user.Id, holdIds, now, ct)) return SelectionWorkbench.Closed(row);
        var message = Message(holdIds.Count, row.PickupPointName, request.Note ?? row.LibrarianNote);
        await outbox.EnqueueAsync(uow, new OutboxMessage(row.PatronId, "selectionReady", message, now, DedupeKey: $"selection:{row.Id}"), now, ct);
        await requests.ScheduleNextAsync(uow, row, now, ct);
        return null;
    }

    static async Task<ProblemHttpResult> CopyUnavailableAsync(UnitOfWork uow, ProposalStore proposals, int index, long copyId, string why,
        CancellationToken ct, string code = "copy_unavailable")
    {
        var message = $"{await proposals.DescribeCopyAsync(uow, copyId, ct)} {why} : rien n'a été réservé. Retirez-le ou remplacez-le, puis confirmez de nouveau.";
        return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Exemplaire indisponible", detail: message,
            extensions: new Dictionary<string, object?>
            {
                ["code"] = code,
                ["copyId"] = copyId,
                ["errors"] = new Dictionary<string, string[]> { [$"copyIds[{index}]"] = [message] },
            });
    }

    /// <summary>The SMS to the patron, in French (DESIGN "Notifications").</summary>
    internal static string Message(int items, string pickupPoint, string? note)
    {
        // Worded to stay in GSM-7 (one segment costs a third of a UCS-2 one): no "prête", "créneau".
        var text = $"Votre sélection surprise vous attend : {items} document{(items > 1 ? "s" : "")} choisi{(items > 1 ? "s" : "")} pour vous, "
            + $"{Notifications.SmsText.At(pickupPoint)}. Prenez rendez-vous sur le site ou par téléphone.";
        return Notifications.SmsText.ForSms(string.IsNullOrWhiteSpace(note) ? text : $"{text} Le mot de votre bibliothécaire : « {note.Trim()} »");
    }
}
