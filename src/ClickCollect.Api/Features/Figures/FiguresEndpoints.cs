using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClickCollect.Api.Features.Figures;

/// <summary>The director's figures (issue 11): JSON, one CSV per table, and server-drawn SVG charts.</summary>
internal static class FiguresEndpoints
{
    /// <summary>A year and a day at most: enough for "this year against last", small enough to stay fast.</summary>
    public const int MaxDays = 366;

    public static void AddFigures(this IServiceCollection services) => services.AddSingleton<FiguresStore>();

    public static void MapFigures(this IEndpointRouteBuilder api)
    {
        var figures = api.MapGroup("/figures").WithTags("Figures").RequireAuthorization(Policies.Director);
        figures.MapGet("/", Get).WithName("GetFigures")
            .WithSummary("Activity figures for local dates from–to (default: the last 28 days), for one pickup point or the network; "
                + "?format=csv&table=summary|appointments|reservations|outcomes|occupancy|handOver|stopDemand|selections|sms for CSV")
            .Produces<FiguresResponse>().Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        figures.MapGet("/charts/{chart}", Chart).WithName("GetFiguresChart")
            .WithSummary("One chart of the figures as SVG: reservations, outcomes, occupancy or stopDemand (same query as the figures)")
            .Produces(StatusCodes.Status200OK, contentType: "image/svg+xml").ProducesProblem(StatusCodes.Status400BadRequest);
    }

    static async Task<IResult> Get(DateOnly? from, DateOnly? to, long? pickupPointId, string? format, string? table,
        FiguresStore store, TimeProvider clock, CancellationToken ct)
    {
        if (format is not (null or "json" or "csv")) return Problems.Field("format", "Format attendu : json ou csv.");
        if (table is not null && !FiguresCsv.Tables.Contains(table))
            return Problems.Field("table", $"Tableau attendu : {string.Join(", ", FiguresCsv.Tables)}.");
        var figures = await ComputeAsync(from, to, pickupPointId, store, clock, ct);
        if (figures.Problem is { } problem) return problem;
        if (format != "csv") return TypedResults.Ok(figures.Value);
        var name = table ?? "summary";
        return TypedResults.File(FiguresCsv.Render(figures.Value!, name), "text/csv; charset=utf-8",
            $"chiffres-{name}-{figures.Value!.From:yyyy-MM-dd}-{figures.Value.To:yyyy-MM-dd}.csv");
    }

    static async Task<IResult> Chart(string chart, DateOnly? from, DateOnly? to, long? pickupPointId, string? lang,
        FiguresStore store, TimeProvider clock, CancellationToken ct)
    {
        if (!FiguresSvg.Charts.Contains(chart)) return Problems.Field("chart", $"Graphique attendu : {string.Join(", ", FiguresSvg.Charts)}.");
        var figures = await ComputeAsync(from, to, pickupPointId, store, clock, ct);
        if (figures.Problem is { } problem) return problem;
        return TypedResults.Text(FiguresSvg.Render(figures.Value!, chart, lang == "en"), "image/svg+xml; charset=utf-8");
    }

    static async Task<(FiguresResponse? Value, ProblemHttpResult? Problem)> ComputeAsync(DateOnly? from, DateOnly? to, long? pickupPointId,
        FiguresStore store, TimeProvider clock, CancellationToken ct)
    {
        if (from is { } f && to is { } t && t < f) return (null, Problems.Field("to", "La date de fin précède la date de début."));
        var zone = await store.ZoneAsync(pickupPointId, ct);
        if (zone is null) return (null, Problems.Field("pickupPointId", $"Le point de retrait {pickupPointId} n'existe pas."));
        var last = to ?? (from?.AddDays(27) ?? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime));
        var first = from ?? last.AddDays(-27);
        if (last.DayNumber - first.DayNumber + 1 > MaxDays)
            return (null, Problems.Field("to", $"Une période de {MaxDays} jours au plus."));
        var data = await store.LoadAsync(zone, first, last, pickupPointId, ct);
        return (FiguresCalculator.Compute(data, first, last, pickupPointId), null);
    }
}
