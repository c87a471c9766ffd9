using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClickCollect.Api.Infrastructure.Health;

/// <summary>
/// GET /health (the database answers), /health/live (the process serves requests) and /health/ready
/// (the database answers and is migrated: route traffic here). Checks run through AddHealthChecks;
/// callers are anonymous, so a failure says only what failed: the reason is in the log (#15).
/// They are route handlers rather than MapHealthChecks so that the OpenAPI document lists them.
/// </summary>
internal static class HealthEndpoints
{
    const string Database = "database";
    const string Ready = "ready";

    public static IServiceCollection AddClickCollectHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseReachableCheck>("database", tags: [Database, Ready])
            .AddCheck<DatabaseMigratedCheck>("migrations", tags: [Ready]);
        return services;
    }

    public static void MapClickCollectHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapGet("", Check).WithName("Health").WithSummary("200 when the database answers")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        health.MapGet("/live", Live).WithName("HealthLive").WithSummary("200 while the process serves requests (no database call)");
        health.MapGet("/ready", CheckReady).WithName("HealthReady").WithSummary("200 when the database answers and every migration is applied")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    internal sealed record HealthResponse(string Status, string Database);

    internal sealed record LiveResponse(string Status);

    static Task<Results<Ok<HealthResponse>, ProblemHttpResult>> Check(HealthCheckService checks, Db db, CancellationToken ct) =>
        RunAsync(checks, db, Database, "database_unavailable", "Base de données injoignable", ct);

    static Task<Results<Ok<HealthResponse>, ProblemHttpResult>> CheckReady(HealthCheckService checks, Db db, CancellationToken ct) =>
        RunAsync(checks, db, Ready, "not_ready", "Service pas prêt", ct);

    static Ok<LiveResponse> Live() => TypedResults.Ok(new LiveResponse("ok"));

    static async Task<Results<Ok<HealthResponse>, ProblemHttpResult>> RunAsync(
        HealthCheckService checks, Db db, string tag, string code, string title, CancellationToken ct)
    {
        var report = await checks.CheckHealthAsync(c => c.Tags.Contains(tag), ct);
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(new HealthResponse("ok", db.Dialect.Name))
            : Problems.Create(StatusCodes.Status503ServiceUnavailable, code, title);
    }
}
