using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Microsoft.Data.Sqlite;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Performance;

/// <summary>
/// #17 item 1: no hot query grows with its table. The booking, hold, arrival, pick-list, slot and search
/// paths run through HTTP on a library with tens of thousands of rows (<see cref="BigLibrary"/>), and every
/// statement they run is planned by the engine: SQLite's <c>explain query plan</c> of each statement traced
/// on the app's connections, PostgreSQL's own plans of the statements as executed (auto_explain, with their
/// parameter values). A full scan of one of the big tables fails the test, naming the statement.
/// </summary>
public abstract partial class QueryPlanTests<TDb> where TDb : ITestDatabase, new()
{
    const string Wednesday11 = "2026-03-11T09:00:00+00:00"; // a slot of the adult counter, 10:00 in Paris

    [Fact]
    public async Task No_statement_of_the_booking_hold_arrival_pick_list_slots_or_search_paths_scans_a_big_table()
    {
        var database = new TDb();
        var sqlite = database.Provider == "sqlite";
        var connectionString = await database.CreateSeededAsync();
        // auto_explain logs the plan of every statement this app's sessions run (PostgreSQL's contrib, in Debian's server package).
        if (!sqlite) connectionString += ";Options=-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=0";
        await using var app = TestApp.On(database.Provider, connectionString);
        var point = await PickupPointIdAsync(app, CentralAdults);
        await BigLibrary.FillAsync(app, point);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var patron = await PatronAsync(app, "P0001");
        var staff = await app.StaffClientAsync("counter");

        var statements = new ConcurrentQueue<string>();
        var logFrom = sqlite ? 0 : new FileInfo(PostgresServer.Instance.LogFile).Length;
        if (sqlite)
            app.Service<Db>().ConnectionOpened = c =>
                SQLitePCL.raw.sqlite3_trace(((SqliteConnection)c).Handle, (_, sql) =>
                {
                    // Not the statements FTS5 runs on its own tables, nor the trigger markers.
                    if (!sql.StartsWith("--", StringComparison.Ordinal) && !sql.Contains("'main'.", StringComparison.Ordinal)) statements.Enqueue(sql);
                }, null);

        // Search: words found in a few titles, alone and with filters, and the catalogue without words. (A word in
        // most titles is best read by scanning them, as PostgreSQL rightly does: make bench times that one.)
        await ReadAsync(await patron.GetAsync("/api/titles?q=1234"), HttpStatusCode.OK);
        await ReadAsync(await patron.GetAsync($"/api/titles?q=commun+567&audience=adult&available=true&pickupPointId={point}"), HttpStatusCode.OK);
        await ReadAsync(await patron.GetAsync("/api/titles?audience=youth&page=3"), HttpStatusCode.OK);
        await ReadAsync(await patron.GetAsync($"/api/titles/{title}"), HttpStatusCode.OK);
        // Slots, a hold and its read-back, a booking (with an Idempotency-Key, as the patron page sends it) and its lists.
        await ReadAsync(await patron.GetAsync($"/api/pickup-points/{point}/slots?from=2026-03-10&to=2026-03-24"), HttpStatusCode.OK);
        var hold = (await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();
        await ReadAsync(await patron.GetAsync($"/api/holds/{hold}"), HttpStatusCode.OK);
        await ReadAsync(await patron.GetAsync("/api/holds"), HttpStatusCode.OK);
        var booking = new HttpRequestMessage(HttpMethod.Post, "/api/appointments")
        {
            Content = JsonContent.Create(new { pickupPointId = point, slotStart = Wednesday11, holdIds = new[] { hold } }),
        };
        booking.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var appointment = (await ReadAsync(await patron.SendAsync(booking), HttpStatusCode.Created)).GetProperty("id").GetInt64();
        await ReadAsync(await patron.GetAsync("/api/appointments"), HttpStatusCode.OK);
        await ReadAsync(await patron.GetAsync($"/api/appointments/{appointment}"), HttpStatusCode.OK);
        // The pick list of the day, on screen and printed.
        await ReadAsync(await staff.GetAsync($"/api/pick-lists/{point}/2026-03-11"), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/pick-lists/{point}/2026-03-11?format=pdf")).StatusCode);
        // "I'm here", twenty minutes before the slot.
        app.Clock.SetUtcNow(DateTimeOffset.Parse(Wednesday11) - TimeSpan.FromMinutes(20));
        patron = await PatronAsync(app, "P0001");
        await ReadAsync(await patron.PostAsync($"/api/appointments/{appointment}/arrival", null), HttpStatusCode.OK);

        var (checkedCount, scans) = sqlite
            ? await SqliteScansAsync(connectionString, statements.Distinct().ToList())
            : PostgresScans(logFrom, await PartialIndexesAsync(connectionString));
        Assert.True(checkedCount >= 30, $"Only {checkedCount} statements were planned: is the tracing still hooked?");
        Assert.True(scans.Count == 0, $"{scans.Count} statements scan a big table:\n\n" + string.Join("\n\n", scans));
    }

    static readonly HashSet<string> Big = new(BigLibrary.Tables, StringComparer.OrdinalIgnoreCase);

    static async Task<(int Checked, List<string> Scans)> SqliteScansAsync(string connectionString, List<string> statements)
    {
        await using var c = new SqliteConnection(connectionString);
        await c.OpenAsync();
        var scans = new List<string>();
        var planned = 0;
        foreach (var sql in statements.Where(s => Dml().IsMatch(s) && !BoundedCount().IsMatch(s)))
        {
            var plan = (await c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("explain query plan " + sql)).Select(r => r.Detail).ToList();
            planned++;
            var aliases = Aliases(sql);
            var full = plan.Select(d => SqliteScan().Match(d)).Where(m => m.Success)
                .Where(m => aliases.TryGetValue(m.Groups[1].Value, out var tables) ? tables.Any(Big.Contains) : Big.Contains(m.Groups[1].Value))
                .Select(m => m.Value).ToList();
            if (full.Count > 0) scans.Add($"{string.Join(", ", full)} in:\n{sql}\nplan:\n  {string.Join("\n  ", plan)}");
        }
        return (planned, scans);
    }

    /// <summary>Which tables each name in FROM and JOIN clauses stands for (SQLite's plans name the alias).</summary>
    static Dictionary<string, HashSet<string>> Aliases(string sql)
    {
        var map = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (Match m in TableRef().Matches(sql))
        {
            var table = m.Groups[1].Value;
            var alias = m.Groups[2].Success && !Keywords.Contains(m.Groups[2].Value) ? m.Groups[2].Value : table;
            foreach (var name in new[] { table, alias })
            {
                if (!map.TryGetValue(name, out var set)) map[name] = set = new(StringComparer.OrdinalIgnoreCase);
                set.Add(table);
            }
        }
        return map;
    }

    static readonly HashSet<string> Keywords = new(
        ["where", "on", "join", "left", "inner", "cross", "natural", "group", "order", "limit", "union", "using", "set", "values", "select", "as", "returning", "and", "or", "window", "having"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>PostgreSQL: the plans auto_explain wrote for this test's statements since <paramref name="from"/>.</summary>
    static (int Checked, List<string> Scans) PostgresScans(long from, HashSet<string> partialIndexes)
    {
        string log;
        using (var file = new FileStream(PostgresServer.Instance.LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            file.Seek(from, SeekOrigin.Begin);
            log = new StreamReader(file).ReadToEnd();
        }
        var plans = log.Split("plan:").Skip(1).ToList();
        var scans = plans.Where(p => !BoundedCount().IsMatch(p)).Select(p => (Plan: p, Full: PostgresFullScans(p, partialIndexes))).Where(p => p.Full.Count > 0)
            .Select(p => $"{string.Join(", ", p.Full)} in:\n{(p.Plan.Length > 4000 ? p.Plan[..4000] : p.Plan)}").ToList();
        return (plans.Count, scans);
    }

    /// <summary>
    /// The nodes of one PostgreSQL plan that read a big table whole: a "Seq Scan", or an index walked from end to end
    /// (an index scan with no "Index Cond" line: every entry read, each row then tested by a Filter), unless a Limit
    /// stops the walk (its only child: the catalogue in title order reads a page of titles_sort, not all of it) or the
    /// index is partial (sessions_account holds the open sessions only: its predicate is the condition). The pick list
    /// once walked copies_pkey whole beside every open appointment for each allocated hold (2.3 s for 500 lines among
    /// 50,000 appointments on make bench, fixed in 68ce3c5 without a test): there was no "Seq Scan" in that plan.
    /// </summary>
    static List<string> PostgresFullScans(string plan, HashSet<string> partialIndexes)
    {
        var lines = plan.Split('\n');
        var full = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var scan = PostgresScan().Match(lines[i]);
            if (!scan.Success || !Big.Contains(scan.Groups["table"].Value)) continue;
            if (scan.Groups["kind"].Value.StartsWith("Seq", StringComparison.Ordinal)) { full.Add(scan.Value); continue; }
            // The node's own lines (conditions, filters) come before the next node or the next sub-plan.
            var own = lines.Skip(i + 1).TakeWhile(l => !l.Contains("(cost=", StringComparison.Ordinal) && !PlanSection().IsMatch(l));
            if (own.Any(l => l.TrimStart().StartsWith("Index Cond:", StringComparison.Ordinal)) || partialIndexes.Contains(scan.Groups["index"].Value)) continue;
            var parent = lines.Take(i).LastOrDefault(l => l.Contains("(cost=", StringComparison.Ordinal));
            if (parent is not null && LimitNode().IsMatch(parent)) continue;
            full.Add(scan.Value + " (the whole index)");
        }
        return full;
    }

    [GeneratedRegex(@"^\s*(select|insert|update|delete|with|replace)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Dml();

    // A bare "SCAN x": the whole table, no index ("SCAN x USING INDEX …" walks an index in order).
    [GeneratedRegex(@"^SCAN (\w+)$")]
    private static partial Regex SqliteScan();

    [GeneratedRegex(@"\b(?:from|join|update|into)\s+([a-z_][a-z0-9_]*)(?:\s+(?:as\s+)?([a-z_][a-z0-9_]*))?", RegexOptions.IgnoreCase)]
    private static partial Regex TableRef();

    // Browsing without words counts titles up to 1,001 (CatalogueStore.ExactCountLimit): reading titles until
    // then is bounded by the catalogue, not by activity, and no index serves every mix of filters.
    [GeneratedRegex(@"select count\(\*\) from \(select 1 from titles t (where [^()]*)?limit (1001|\$\d+)\) hits")]
    private static partial Regex BoundedCount();

    // A node reading a table: "Seq Scan on t", "Index Scan [Backward] using i on t", "Index Only Scan … on t",
    // "Bitmap Index Scan on i" is not one (its table is read by the Bitmap Heap Scan above it, with its Recheck Cond).
    [GeneratedRegex(@"(?<kind>Seq Scan|Index Only Scan(?: Backward)?|Index Scan(?: Backward)?)(?: using (?<index>\w+))? on (?<table>\w+)")]
    private static partial Regex PostgresScan();

    static async Task<HashSet<string>> PartialIndexesAsync(string connectionString)
    {
        // Without the test's auto_explain options: this is not one of the app's statements.
        await using var c = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Options = null }.ConnectionString);
        return (await c.QueryAsync<string>("select indexrelid::regclass::text from pg_index where indpred is not null")).ToHashSet();
    }

    [GeneratedRegex(@"^\s*(SubPlan|InitPlan|CTE|JIT:)")]
    private static partial Regex PlanSection();

    [GeneratedRegex(@"^\s*(->\s+)?Limit\s+\(cost=")]
    private static partial Regex LimitNode();
}

public sealed class QueryPlanTests_Sqlite : QueryPlanTests<SqliteTestDatabase>;
public sealed class QueryPlanTests_Postgres : QueryPlanTests<PostgresTestDatabase>;
