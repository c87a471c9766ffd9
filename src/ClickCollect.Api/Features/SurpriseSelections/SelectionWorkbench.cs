using ClickCollect.Api.Features.Holds;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>
/// What every librarian action on a request starts with, inside its unit of work: the selections
/// lock (bundles reserve copies network-wide), lapsed claims swept, then the request claimed or the
/// claim renewed for this librarian, or the reason it cannot be.
/// </summary>
internal sealed class SelectionWorkbench(SelectionStore requests, ProposalStore proposals, HoldStore holds, IOptions<SelectionOptions> options)
{
    internal sealed record Work(SelectionRow? Row, ProblemHttpResult? Problem);

    public async Task<Work> BeginAsync(UnitOfWork uow, long id, CurrentUser librarian, DateTimeOffset now, CancellationToken ct)
    {
        await uow.LockAsync(LockKeys.Selections, ct);
        await requests.SweepLapsedAsync(uow, now, ct);
        var claimed = await requests.ClaimAsync(uow, id, librarian.Id, now, now + options.Value.ClaimDuration, ct);
        var row = await requests.GetAsync(uow, id, now, ct);
        if (row is null) return new(null, Problems.NotFound("La demande de sélection", id));
        if (claimed) return new(row, null);
        if (row.IsClosed) return new(null, Closed(row));
        if (row.OpensAt > now)
            return new(null, Problems.Conflict("selection_not_due", "Pas encore ouverte",
                $"Cette sélection répétée s'ouvrira le {row.Local(row.OpensAt).ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture)}."));
        return new(null, TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Déjà prise en charge",
            detail: $"{row.ClaimedByName} prépare cette sélection (jusqu'à {row.Local(row.ClaimedUntil!.Value).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)} si rien ne bouge).",
            extensions: new Dictionary<string, object?>
            {
                ["code"] = "selection_claimed",
                ["claimedBy"] = row.ClaimedByName,
                ["claimedUntil"] = row.ClaimedUntil,
            }));
    }

    public static ProblemHttpResult Closed(SelectionRow row) => Problems.Conflict("selection_closed", "Demande close",
        row.Status == SelectionStatus.Confirmed ? "Cette sélection est déjà confirmée." : "Cette demande a été annulée.");

    /// <summary>The request in full as staff see it (or its owner: no bundle then, it stays a surprise), and its holds.</summary>
    public async Task<SelectionRequestResponse> DetailAsync(SelectionRow row, bool forStaff, DateTimeOffset now, CancellationToken ct)
    {
        var holdRows = new List<HoldResponse>();
        foreach (var holdId in await requests.HoldIdsAsync(row.Id, ct))
            if (await holds.GetAsync(holdId, ct) is { } hold) holdRows.Add(hold.ToResponse());
        return row.ToResponse(now, forStaff) with { Proposal = forStaff ? await proposals.ReadAsync(row, now, ct) : null, Holds = holdRows };
    }
}
