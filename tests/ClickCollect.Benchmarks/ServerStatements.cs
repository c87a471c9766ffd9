using System.Globalization;
using Dapper;
using Npgsql;

namespace ClickCollect.Benchmarks;

/// <summary>
/// Where PostgreSQL's own time goes during the booking runs and the search run (#17: "report what limits it"). pg_stat_statements
/// (loaded by the bench's server) is read before and after each run and only the differences are counted, so the bare
/// baseline's statements (run between them: its BEGIN and COMMIT look like the app's) are left out whatever their text.
/// With them, the CPU time of the server's processes (the postmaster and its backends, from /proc) in the same windows:
/// whether the server is short of CPU, which the statements' times alone cannot tell (a lock wait is execution time too).
/// </summary>
internal sealed class ServerStatements(string server, Func<int?> serverPid)
{
    // Not pooled: a pooled connection's reset would be counted among the app's statements.
    readonly string connectionString = new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString;

    sealed record Row(string Query, long Calls, long Plans, double PlanMs, double ExecMs);

    readonly Dictionary<string, Row> counted = [];
    Dictionary<string, Row>? before;
    double cpuBefore, cpuMs;

    public async Task StartAsync()
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.ExecuteAsync("create extension if not exists pg_stat_statements");
        before = await ReadAsync();
        cpuBefore = ServerCpuMs();
    }

    public async Task StopAsync()
    {
        var after = await ReadAsync();
        cpuMs += ServerCpuMs() - cpuBefore;
        foreach (var (key, row) in after)
        {
            var was = before!.GetValueOrDefault(key);
            var delta = was is null ? row : new Row(row.Query, row.Calls - was.Calls, row.Plans - was.Plans, row.PlanMs - was.PlanMs, row.ExecMs - was.ExecMs);
            if (delta.Calls == 0) continue;
            counted[key] = counted.GetValueOrDefault(key) is { } sum
                ? sum with { Calls = sum.Calls + delta.Calls, Plans = sum.Plans + delta.Plans, PlanMs = sum.PlanMs + delta.PlanMs, ExecMs = sum.ExecMs + delta.ExecMs }
                : delta;
        }
    }

    async Task<Dictionary<string, Row>> ReadAsync()
    {
        await using var c = new NpgsqlConnection(connectionString);
        var rows = await c.QueryAsync<(long QueryId, long UserId, bool TopLevel, string Query, long Calls, long Plans, double PlanMs, double ExecMs)>(
            """
            select queryid, userid::int8, toplevel, query, calls, plans, total_plan_time, total_exec_time from pg_stat_statements
            where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%'
            """);
        return rows.ToDictionary(r => $"{r.QueryId}:{r.UserId}:{r.TopLevel}", r => new Row(r.Query, r.Calls, r.Plans, r.PlanMs, r.ExecMs));
    }

    /// <summary>User and system CPU of the server so far, ms: the postmaster, the backends it reaped, and those still running.</summary>
    double ServerCpuMs()
    {
        if (serverPid() is not { } pid) return 0;
        static long[] Fields(string stat) => File.ReadAllText(stat).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => long.TryParse(f, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var stat = Path.Combine(dir, "stat");
            try
            {
                if (!int.TryParse(Path.GetFileName(dir), out var child)) continue;
                var f = Fields(stat); // after the name: state, ppid (f[1]) … utime f[11], stime f[12], cutime f[13], cstime f[14]
                if (child == pid) ticks += f[11] + f[12] + f[13] + f[14];
                else if (f[1] == pid) ticks += f[11] + f[12];
            }
            catch (IOException) { /* the process ended meanwhile */ }
        }
        return ticks * 10.0;
    }

    /// <summary>Per request of the runs measured (<paramref name="what"/>: booking, search…), between each StartAsync and StopAsync.</summary>
    public void Report(long bookings, Action<string> say, string what = "booking")
    {
        var rows = counted.Values.ToList();
        var per = (double)Math.Max(1, bookings);
        static bool LockWait(Row r) => r.Query.Contains("pg_advisory_xact_lock", StringComparison.Ordinal);
        var locks = rows.Where(LockWait).ToList();
        say($"PostgreSQL per {what} request ({bookings:N0} requests, the {what} runs only): server CPU {cpuMs / per:F2} ms; " +
            $"{rows.Sum(r => r.Calls) / per:F1} statements ({rows.Where(r => r.Query.Length < 40 && !r.Query.Contains('$')).Sum(r => r.Calls) / per:F1} of them short " +
            $"utility statements: BEGIN, COMMIT, the pool's reset); planning {rows.Sum(r => r.PlanMs) / per:F2} ms; execution {rows.Sum(r => r.ExecMs) / per:F2} ms, " +
            $"of which {locks.Sum(r => r.ExecMs) / per:F2} ms waiting for advisory locks ({locks.Sum(r => r.Calls) / per:F2} per request). " +
            $"From pg_stat_statements, counted during the {what} runs only{(what == "bare baseline" ? "" : " (the bare baseline's left out)")}.");
        say("");
        say("| statement (heaviest first, lock waits apart) | runs per request | plans per request | plan ms per request | exec ms per request |");
        say("|---|---:|---:|---:|---:|");
        foreach (var r in rows.Where(r => !LockWait(r)).OrderByDescending(r => r.PlanMs + r.ExecMs).Take(10).Concat(locks.OrderByDescending(r => r.ExecMs)))
            say($"| `{Shorten(r.Query)}` | {r.Calls / per:F2} | {r.Plans / per:F2} | {r.PlanMs / per:F3} | {r.ExecMs / per:F3} |");
        say("");
        say("The most frequent: " + string.Join("; ", rows.OrderByDescending(r => r.Calls).Take(12).Select(r => $"`{Shorten(r.Query, 60)}` {r.Calls / per:F2}")) + ".");
        say("");
    }

    static string Shorten(string query, int length = 110)
    {
        var flat = string.Join(' ', query.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Replace("|", "\\|");
        return flat.Length <= length ? flat : flat[..length] + " …";
    }
}
