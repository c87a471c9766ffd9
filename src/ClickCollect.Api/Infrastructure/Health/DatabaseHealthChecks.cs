using ClickCollect.Api.Infrastructure.Database;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClickCollect.Api.Infrastructure.Health;

/// <summary>The database answers a query. The exception goes to the log (HealthCheckService logs it), never to the caller.</summary>
internal sealed class DatabaseReachableCheck(Db db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("select 1", cancellationToken: ct));
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", e);
        }
    }
}

/// <summary>
/// Every migration this build knows is applied: an instance whose database is behind (or ahead, an
/// older build) must not take traffic. Cheap: one indexed read of schema_migrations.
/// </summary>
internal sealed class DatabaseMigratedCheck(Db db) : IHealthCheck
{
    readonly Lazy<int[]> known = new(() => Migrator.Load(db.Dialect).Select(m => m.Version).ToArray());

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = await db.OpenAsync(ct);
            var applied = (await connection.QueryAsync<long>(new CommandDefinition("select version from schema_migrations", cancellationToken: ct)))
                .Select(v => (int)v).ToHashSet();
            var missing = known.Value.Where(v => !applied.Contains(v)).ToList();
            var unknown = applied.Where(v => !known.Value.Contains(v)).Order().ToList();
            if (missing.Count == 0 && unknown.Count == 0) return HealthCheckResult.Healthy();
            return HealthCheckResult.Unhealthy(
                $"Migrations not applied: [{string.Join(", ", missing)}]; applied but unknown to this build: [{string.Join(", ", unknown)}].");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer, or has no schema_migrations table.", e);
        }
    }
}
