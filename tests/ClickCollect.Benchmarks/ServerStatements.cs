using Dapper;
using Npgsql;

namespace ClickCollect.Benchmarks;

/// <summary>
/// Where PostgreSQL's own time goes during the booking runs (#17: "report what limits it"): pg_stat_statements, loaded by
/// the bench's server, reset before the runs and read after them. Per booking request: how many times each statement
/// ran, and the server's planning and execution time, heaviest first.
/// </summary>
internal static class ServerStatements
{
    public static async Task ResetAsync(string connectionString)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.ExecuteAsync("create extension if not exists pg_stat_statements; select pg_stat_statements_reset();");
    }

    /// <summary>Per request of the measure just made (<paramref name="what"/>: booking, search…), since the last reset.</summary>
    public static async Task ReportAsync(string connectionString, long bookings, Action<string> say, string what = "booking")
    {
        await using var c = new NpgsqlConnection(connectionString);
        var rows = (await c.QueryAsync<(string Query, long Calls, long Plans, double PlanMs, double ExecMs)>(
            """
            select query, calls, plans, total_plan_time, total_exec_time from pg_stat_statements
            where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%' and query not like '%bench_baseline%'
            order by total_plan_time + total_exec_time desc
            """)).ToList();
        var per = Math.Max(1, bookings);
        say($"Server time per {what} request ({bookings:N0} requests): planning {rows.Sum(r => r.PlanMs) / per:F2} ms, " +
            $"execution {rows.Sum(r => r.ExecMs) / per:F2} ms, {rows.Sum(r => r.Calls) / (double)per:F1} statements " +
            "(pg_stat_statements, the bare baseline's statements left out). The heaviest:");
        say("");
        say("| statement | runs per request | plans per request | plan ms per request | exec ms per request |");
        say("|---|---:|---:|---:|---:|");
        foreach (var r in rows.Take(8))
            say($"| `{Shorten(r.Query)}` | {r.Calls / (double)per:F2} | {r.Plans / (double)per:F2} | {r.PlanMs / per:F3} | {r.ExecMs / per:F3} |");
        say("");
    }

    static string Shorten(string query)
    {
        var flat = string.Join(' ', query.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Replace("|", "\\|");
        return flat.Length <= 110 ? flat : flat[..110] + " …";
    }
}
