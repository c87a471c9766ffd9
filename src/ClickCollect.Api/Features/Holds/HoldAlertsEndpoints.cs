using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Holds;

/// <summary>A hold staff should look at: its copy went in the library system, or its title has none left (issue 12).</summary>
internal sealed record HoldAlertResponse(long Id, long HoldId, HoldStatus HoldStatus, string PatronCardNumber, long TitleId, string Title,
    string? Barcode, string Reason, DateTimeOffset CreatedAt);

/// <summary>The staff's list of flagged holds (<see cref="CopyAvailability"/> writes them).</summary>
internal static class HoldAlertsEndpoints
{
    public static void AddHoldAlerts(this IServiceCollection services) => services.AddSingleton<CopyAvailability>();

    public static void MapHoldAlerts(this IEndpointRouteBuilder api)
    {
        var alerts = api.MapGroup("/holds/alerts").WithTags("Holds").RequireAuthorization(Policies.Staff);
        alerts.MapGet("/", List).WithName("ListHoldAlerts")
            .WithSummary("Holds whose copy the library system withdrew, lost or lent, or whose title has no copy left (unresolved first)");
        alerts.MapPost("/{id:long}/resolve", Resolve).WithName("ResolveHoldAlert").WithSummary("Staff have dealt with the hold")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    sealed class AlertRow
    {
        public long Id { get; init; }
        public long HoldId { get; init; }
        public HoldStatus HoldStatus { get; init; }
        public string CardNumber { get; init; } = "";
        public long TitleId { get; init; }
        public string Title { get; init; } = "";
        public string? Barcode { get; init; }
        public string Reason { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    const string ListSql = """
        select a.id, a.hold_id, h.status as hold_status, p.card_number, h.title_id, t.title, c.barcode, a.reason, a.created_at
        from hold_alerts a
        join holds h on h.id = a.hold_id
        join patrons p on p.id = h.patron_id
        join titles t on t.id = h.title_id
        left join copies c on c.id = a.copy_id
        where a.resolved_at is null
        order by a.created_at, a.id
        limit 500
        """;

    static async Task<Ok<List<HoldAlertResponse>>> List(Db db, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<AlertRow>(new CommandDefinition(ListSql, cancellationToken: ct));
        return TypedResults.Ok(rows.Select(r => new HoldAlertResponse(r.Id, r.HoldId, r.HoldStatus, r.CardNumber, r.TitleId, r.Title, r.Barcode,
            r.Reason, r.CreatedAt)).ToList());
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Resolve(long id, Db db, TimeProvider clock, CancellationToken ct)
    {
        var done = await db.WriteAsync(uow => uow.ExecuteAsync("update hold_alerts set resolved_at = @Now where id = @Id and resolved_at is null",
            new { Id = id, Now = clock.GetUtcNow() }, ct), ct);
        return done == 1 ? TypedResults.NoContent() : Problems.NotFound("L'alerte", id);
    }
}
