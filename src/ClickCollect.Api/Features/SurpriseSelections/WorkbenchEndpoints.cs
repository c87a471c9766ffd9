using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.SurpriseSelections;

/// <summary>
/// The librarian's side (routes in <see cref="SelectionEndpoints"/>). Every action runs in one unit
/// of work that claims or renews the claim first (<see cref="SelectionWorkbench.BeginAsync"/>), and
/// answers once that unit of work is closed.
/// </summary>
internal static class WorkbenchEndpoints
{
    public const int CandidateLimit = 20;

    internal static async Task<Results<Ok<SelectionRequestResponse>, ProblemHttpResult>> Claim(
        long id, CurrentUser user, SelectionWorkbench bench, SelectionStore requests, Db db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var problem = await WorkAsync(db, bench, id, user, now, (_, _) => Task.FromResult<ProblemHttpResult?>(null), ct);
        return problem ?? (Results<Ok<SelectionRequestResponse>, ProblemHttpResult>)TypedResults.Ok(
            await bench.DetailAsync((await requests.GetAsync(id, now, ct))!, forStaff: true, now, ct));
    }

    internal static async Task<Results<Ok<SelectionRequestResponse>, ProblemHttpResult>> Release(
        long id, CurrentUser user, SelectionWorkbench bench, SelectionStore requests, Db db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await requests.GetAsync(id, now, ct) is null) return Problems.NotFound("La demande de sélection", id);
        var released = await db.WriteAsync(async uow =>
        {
            await uow.LockAsync(LockKeys.Selections, ct);
            await requests.SweepLapsedAsync(uow, now, ct);
            return await requests.ReleaseAsync(uow, id, user.Id, now, ct);
        }, ct);
        if (!released) return Problems.Conflict("selection_not_yours", "Demande non prise en charge par vous", "Seule la personne qui prépare la sélection peut la rendre.");
        return TypedResults.Ok(await bench.DetailAsync((await requests.GetAsync(id, now, ct))!, forStaff: true, now, ct));
    }

    /// <summary><paramref name="seed"/>: the draw; by default the next one, so proposing again gives another bundle.</summary>
    internal static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> Propose(
        long id, int? seed, CurrentUser user, SelectionWorkbench bench, SelectionStore requests, ProposalStore proposals, Db db,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var problem = await WorkAsync(db, bench, id, user, now, async (uow, row) =>
        {
            var draw = seed ?? (row.ProposalSeed ?? 0) + 1;
            var bundle = BundleProposer.Propose(await proposals.LoadInputAsync(uow, row, draw, now, ct));
            return await proposals.SaveAsync(uow, row.Id, bundle, draw, now, ct) ? null : Busy();
        }, ct);
        return problem ?? await ProposalAsync(id, requests, proposals, now, ct);
    }

    internal static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> Pin(
        long id, PinItemRequest request, CurrentUser user, SelectionWorkbench bench, SelectionStore requests, ProposalStore proposals, Db db,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var problem = await WorkAsync(db, bench, id, user, now, async (uow, _) =>
            await proposals.PinAsync(uow, id, request.CopyId, request.Pinned, ct) ? null : NotInBundle(request.CopyId), ct);
        return problem ?? await ProposalAsync(id, requests, proposals, now, ct);
    }

    internal static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> Remove(
        long id, RemoveItemRequest request, CurrentUser user, SelectionWorkbench bench, SelectionStore requests, ProposalStore proposals, Db db,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var problem = await WorkAsync(db, bench, id, user, now, async (uow, _) =>
            await proposals.RemoveAsync(uow, id, request.CopyId, ct) ? null : NotInBundle(request.CopyId), ct);
        return problem ?? await ProposalAsync(id, requests, proposals, now, ct);
    }

    internal static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> Swap(
        long id, SwapItemRequest request, CurrentUser user, SelectionWorkbench bench, SelectionStore requests, ProposalStore proposals, Db db,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var problem = await WorkAsync(db, bench, id, user, now, async (uow, row) =>
        {
            var input = await proposals.LoadInputAsync(uow, row, row.ProposalSeed ?? 1, now, ct);
            if (input.Copies.FirstOrDefault(c => c.Id == request.NewCopyId) is not { } copy || !BundleProposer.Available(copy, row.Id))
                return Problems.Create(StatusCodes.Status409Conflict, "copy_unavailable", "Exemplaire indisponible",
                    $"L'exemplaire {request.NewCopyId} n'est pas en rayon ou une autre sélection le réserve.");
            if ((await proposals.BundleTitlesAsync(uow, row.Id, ct)).Contains(copy.TitleId))
                return Problems.Conflict("already_in_bundle", "Déjà dans la sélection", "Ce titre est déjà dans la sélection.");
            // Explain exactly this copy: the builder sees no other copy of its title.
            var only = input with { Copies = input.Copies.Where(c => c.TitleId != copy.TitleId || c.Id == copy.Id).ToList() };
            if (BundleProposer.Rank(only, t => t.Id == copy.TitleId, 1) is not [var item])
                return Problems.Conflict("not_a_candidate", "Hors de la demande",
                    "Ce titre ne répond pas à la demande (public, format, langue, à éviter, déjà lu ou retiré).");
            var chosen = item with { Signals = [.. item.Signals, new Signal("chosen", "", 0)] };
            chosen = chosen with { Reasons = SelectionReasons.Explain(chosen.Signals, input.Tastes) };
            return await proposals.SwapAsync(uow, row.Id, request.CopyId, chosen, ct) switch
            {
                null => NotInBundle(request.CopyId),
                false => Busy(),
                true => null,
            };
        }, ct);
        return problem ?? await ProposalAsync(id, requests, proposals, now, ct);
    }

    /// <summary>The librarian's search for a swap: only what this request could get now, best fits first.</summary>
    internal static async Task<Results<Ok<List<ProposalItemResponse>>, ProblemHttpResult>> Candidates(
        long id, string? q, CurrentUser user, SelectionWorkbench bench, ProposalStore proposals, Db db, TimeProvider clock,
        Catalogue.CatalogueStore catalogue, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        IReadOnlyList<BundleItem> found = [];
        var names = new Dictionary<long, string>();
        var problem = await WorkAsync(db, bench, id, user, now, async (uow, row) =>
        {
            var input = await proposals.LoadInputAsync(uow, row, row.ProposalSeed ?? 1, now, ct);
            var inBundle = await proposals.BundleTitlesAsync(uow, row.Id, ct);
            var words = BundleProposer.Words(q);
            found = BundleProposer.Rank(input, t => !inBundle.Contains(t.Id) && words(t), CandidateLimit);
            names = new Dictionary<long, string>(input.BranchNames);
            return null;
        }, ct);
        if (problem is not null) return problem;
        var items = new List<ProposalItemResponse>();
        foreach (var item in found)
        {
            if (await catalogue.GetAsync(item.TitleId, ct) is not ({ } title, { } copies)) continue;
            var copy = copies.Single(c => c.Id == item.CopyId);
            items.Add(new(item.CopyId, item.TitleId, title.Title, Catalogue.CatalogueText.SplitAuthors(title.Authors),
                Catalogue.CatalogueText.SplitGenres(title.Genres), title.Audience, title.Format, title.Language, title.Year, copy.BranchId,
                names.GetValueOrDefault(copy.BranchId, copy.BranchName), copy.Barcode, copy.ShelfLocation, copy.CallNumber, item.Local, false,
                item.Score, item.Reasons, item.Signals));
        }
        return TypedResults.Ok(items);
    }

    internal static async Task<Results<Ok<SelectionRequestResponse>, ProblemHttpResult>> Note(
        long id, SelectionNoteRequest request, CurrentUser user, SelectionWorkbench bench, SelectionStore requests, Db db,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var problem = await WorkAsync(db, bench, id, user, now, async (uow, _) =>
        {
            await requests.SetNoteAsync(uow, id, request.Note, now, ct);
            return null;
        }, ct);
        return problem ?? (Results<Ok<SelectionRequestResponse>, ProblemHttpResult>)TypedResults.Ok(
            await bench.DetailAsync((await requests.GetAsync(id, now, ct))!, forStaff: true, now, ct));
    }

    /// <summary>Claims (or renews), runs <paramref name="act"/>, commits when neither refused; the unit of work is closed on return.</summary>
    static async Task<ProblemHttpResult?> WorkAsync(Db db, SelectionWorkbench bench, long id, CurrentUser user, DateTimeOffset now,
        Func<UnitOfWork, SelectionRow, Task<ProblemHttpResult?>> act, CancellationToken ct)
    {
        await using var uow = await db.WriteAsync(ct);
        var work = await bench.BeginAsync(uow, id, user, now, ct);
        var problem = work.Problem ?? await act(uow, work.Row!);
        if (problem is null) await uow.CommitAsync(ct);
        return problem;
    }

    static async Task<Results<Ok<ProposalResponse>, ProblemHttpResult>> ProposalAsync(
        long id, SelectionStore requests, ProposalStore proposals, DateTimeOffset now, CancellationToken ct)
    {
        var row = (await requests.GetAsync(id, now, ct))!;
        return TypedResults.Ok(await proposals.ReadAsync(row, now, ct) ?? new ProposalResponse(id, row.StatusAt(now), null, row.ClaimedUntil,
            [], [], new Dictionary<string, int>(), 0, []));
    }

    static ProblemHttpResult NotInBundle(long copyId) =>
        Problems.Create(StatusCodes.Status404NotFound, "not_in_bundle", "Pas dans la sélection", $"L'exemplaire {copyId} n'est pas dans la sélection proposée.");

    // Another unit of work reserved a copy between our read and our write: nothing kept, try again.
    static ProblemHttpResult Busy() =>
        Problems.Conflict("proposal_conflict", "Exemplaire pris entre-temps", "Un exemplaire vient d'être réservé ailleurs : relancez la proposition.");
}
