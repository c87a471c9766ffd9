using ClickCollect.Api.Features.Audit;
using ClickCollect.Api.Features.Patrons;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Privacy;

/// <summary>A pending erasure request on the staff page, with what would block the erasure today (empty: it can be done).</summary>
internal sealed record ErasureRequestLine(string CardNumber, string FirstName, string LastName, DateTimeOffset RequestedAt,
    IReadOnlyList<ErasureBlocker> Blockers);

/// <summary>Staff decline a patron's erasure request; the patron reads the reason on "Mon compte".</summary>
internal sealed record DeclineErasureRequest(string Reason);

internal sealed class DeclineErasureRequestValidator : AbstractValidator<DeclineErasureRequest>
{
    public DeclineErasureRequestValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().WithMessage("Indiquez au lecteur pourquoi sa demande est refusée.").MaximumLength(500);
    }
}

/// <summary>
/// The erasure requests staff handle (issue 16 item 2): the pending ones with what blocks each (loans out,
/// fines due, reservations under way), and declining one with a reason. Confirming is the erasure itself
/// (<c>POST /api/patrons/{cardNumber}/erasure</c>).
/// </summary>
internal static class ErasureRequests
{
    public static void MapErasureRequests(this RouteGroupBuilder patrons)
    {
        patrons.MapGet("/erasure-requests", ListAsync).WithName("ListErasureRequests")
            .WithSummary("Patrons who asked for erasure, oldest request first, each with what would block the erasure today")
            .RequireAuthorization(Policies.Staff);
        patrons.MapPost("/{cardNumber}/erasure-request/decline", DeclineAsync).WithName("DeclineErasureRequest")
            .WithSummary("Decline a patron's erasure request with a reason the patron reads on their account (audited); they may ask again")
            .RequireAuthorization(new AuthorizeAttribute { Roles = $"{Roles.Counter},{Roles.Director}" })
            .WithValidation<DeclineErasureRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    sealed class PendingRow
    {
        public long Id { get; init; }
        public string CardNumber { get; init; } = "";
        public string FirstName { get; init; } = "";
        public string LastName { get; init; } = "";
        public DateTimeOffset ErasureRequestedAt { get; init; }
    }

    const string PendingSql = """
        select id, card_number, first_name, last_name, erasure_requested_at
        from patrons where erasure_requested_at is not null order by erasure_requested_at, id
        """;

    static async Task<Ok<List<ErasureRequestLine>>> ListAsync(ErasePatron erase, Db db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var uow = await db.WriteAsync(ct); // one snapshot for the requests and their blockers; nothing is written
        var lines = new List<ErasureRequestLine>();
        foreach (var p in await uow.QueryAsync<PendingRow>(PendingSql, null, ct))
            lines.Add(new(p.CardNumber, p.FirstName, p.LastName, p.ErasureRequestedAt, await erase.BlockersAsync(uow, p.Id, now, ct)));
        return TypedResults.Ok(lines);
    }

    static async Task<Results<Ok<PatronResponse>, ProblemHttpResult>> DeclineAsync(string cardNumber, DeclineErasureRequest request,
        CurrentUser user, PatronStore patrons, AuditStore audit, Db db, TimeProvider clock, CancellationToken ct)
    {
        if (await patrons.FindByCardAsync(cardNumber.Trim(), ct) is not { } patron || patron.CardNumber.StartsWith('~'))
            return Problems.NotFound("La carte", cardNumber);
        var now = clock.GetUtcNow();
        var reason = request.Reason.Trim();
        var declined = await db.WriteAsync(async uow =>
        {
            if (await PatronStore.DeclineErasureAsync(uow, patron.Id, reason, now, ct) == 0) return false;
            // Audited by internal id only (issue 16: no patron's name in the trail); the reason is staff's own words.
            await audit.WriteAsync(uow, user, "patron.erasureDeclined", "patrons", patron.Id, new { reason }, now, ct);
            return true;
        }, ct);
        if (!declined)
            return Problems.Conflict("no_erasure_request", "Aucune demande d'effacement", $"Le lecteur {patron.CardNumber} n'a pas demandé l'effacement de ses données.");
        return TypedResults.Ok((await patrons.GetAsync(patron.Id, ct))!.ToResponse());
    }
}
