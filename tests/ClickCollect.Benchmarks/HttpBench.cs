using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickCollect.Api;
using ClickCollect.Api.Infrastructure.Auth;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClickCollect.Benchmarks;

/// <summary>
/// #17 item 3: the booking call over HTTP, beside the bare limit. The real app (Release, Production settings,
/// SQLite synchronous=FULL as shipped) runs as its own process on a library of 100,000 titles, 100,000 holds
/// and 50,000 past appointments; thousands of patrons hold allocated documents; <c>wrk</c> books for them at
/// 16, 64 and 256 connections, each run beside the bare baseline (<see cref="BaselineServer"/>: one conditional
/// insert per request on the same database file) at the same concurrency. Then search, the slot calendar,
/// the pick list, the figures and the start-up time; at the end, no slot may hold more than its capacity.
/// </summary>
internal static class HttpBench
{
    const int Patrons = 2_000, HoldsPerPatron = 20, Capacity = 500, PickListLines = 500;
    static readonly int[] Connections = [16, 64, 256];

    public static async Task<int> RunAsync(int seconds)
    {
        var wrk = Wrk.Find();
        if (wrk is null)
        {
            Console.WriteLine("wrk is missing: `apt-get install wrk` (Debian), then make bench again.");
            return 1;
        }
        var root = RepositoryRoot();
        var appDll = Path.Combine(root, "src/ClickCollect.Api/bin/Release/net10.0/ClickCollect.Api.dll");
        if (!File.Exists(appDll)) throw new FileNotFoundException("Build the app in Release first (make bench does).", appDll);
        var folder = Directory.CreateTempSubdirectory("clickcollect-httpbench-").FullName;
        var file = Path.Combine(folder, "bench.db");
        var keys = Path.Combine(folder, "keys");
        var report = new StringBuilder();
        void Say(string line = "") { Console.WriteLine(line); report.AppendLine(line); }

        Console.WriteLine($"HTTP benchmark: preparing {file} …");
        var prepared = await PrepareAsync(file, keys);
        var port = FreePort();
        var basePort = FreePort();
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__ClickCollect"] = $"Data Source={file}",
            ["DataProtection__KeysDirectory"] = keys,
            ["Demo__Seed"] = "false",
            // wrk calls from one address: the per-address limit is for the open internet, not for this.
            ["RateLimits__RequestsPerMinute"] = "100000000",
            ["Logging__LogLevel__Default"] = "Warning",
            // As deployed (README, "Running for a network"): behind a proxy that speaks HTTPS to the browser. wrk sends
            // X-Forwarded-Proto: https as nginx would; without it Production answers every call with a redirect.
            ["ReverseProxy__KnownProxies__0"] = "127.0.0.1",
        };
        var started = Stopwatch.StartNew();
        using var app = Child.Start("dotnet", $"{appDll} --urls http://127.0.0.1:{port}", env);
        using var http = Client($"http://127.0.0.1:{port}", null);
        var startup = await FirstAnswerAsync(http, "/health/ready", started);
        using var baseline = Child.Start("dotnet", $"{typeof(HttpBench).Assembly.Location} --baseline-server {file} {basePort} {Capacity}", new Dictionary<string, string>());
        using var baseHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{basePort}") };
        await FirstAnswerAsync(baseHttp, "/health", Stopwatch.StartNew());

        // Open days of the counter, from its own calendar; the first is kept for the pick list.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var slots = await http.GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{prepared.Point}/slots?from={today:yyyy-MM-dd}&to={today.AddDays(13):yyyy-MM-dd}");
        var byDay = slots!.Select(s => s.GetProperty("start").GetString()!).GroupBy(s => s[..10]).Select(g => g.ToList()).ToList();
        var pickDay = prepared.PickDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var days = byDay.Where(d => d[0][..10] != pickDay).ToList();
        var lines = new List<string>();
        for (var k = 0; k < Math.Min(HoldsPerPatron, 2 * days.Count); k++)
            for (var p = 0; p < Patrons; p++)
            {
                var day = days[k / 2];
                var body = $"{{\"pickupPointId\":{prepared.Point},\"slotStart\":\"{day[(p * 7 + k) % day.Count]}\",\"holdIds\":[{prepared.Holds[p][k]}]}}";
                lines.Add($"POST /api/appointments {prepared.Tokens[p]} {body}");
            }
        var perRun = lines.Count / Connections.Length;
        var loadBefore = LoadAverage();

        Say($"# make bench: HTTP ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Say();
        Say($"Machine: {Environment.ProcessorCount} cores, {MachineName()}; load average {loadBefore} before the runs (other builds share it: figures are noisy).");
        Say($"Database: SQLite, synchronous=FULL, {prepared.Sizes}. {Patrons:N0} patrons with {HoldsPerPatron} allocated holds each; "
            + $"slots of {Capacity} places. wrk, 2 threads, {seconds} s per run.");
        Say();
        Say("| connections | call | req/s | p50 ms | p90 ms | p99 ms | 2xx | 409 | errors | ratio | peak RSS MB |");
        Say("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < Connections.Length; i++)
        {
            var n = Connections[i];
            var bare = await Wrk.RunAsync(wrk, $"http://127.0.0.1:{basePort}", folder, [.. Enumerable.Range(0, perRun).Select(j => $"POST /book - {{\"slot\":{j % 400}}}")], n, seconds);
            var book = await Wrk.RunAsync(wrk, $"http://127.0.0.1:{port}", folder, lines.Skip(i * perRun).Take(perRun).ToList(), n, seconds);
            Say($"| {n} | bare insert | {bare.Rate:F0} | {bare.P50:F1} | {bare.P90:F1} | {bare.P99:F1} | {bare.Ok} | {bare.Refused} | {bare.Errors} | | {PeakMb(baseline.Id)} |");
            Say($"| {n} | booking | {book.Rate:F0} | {book.P50:F1} | {book.P90:F1} | {book.P99:F1} | {book.Ok} | {book.Refused} | {book.Errors} | {book.Rate / bare.Rate:F2}× | {PeakMb(app.Id)} |");
        }
        Say();
        var words = prepared.CommonWords.Concat(prepared.RareWords).ToList();
        var search = await Wrk.RunAsync(wrk, $"http://127.0.0.1:{port}", folder,
            [.. Enumerable.Range(0, 1000).Select(j => $"GET /api/titles?q={Uri.EscapeDataString(words[j % words.Count])} - ")], 16, seconds);
        var calendar = await Wrk.RunAsync(wrk, $"http://127.0.0.1:{port}", folder,
            [$"GET /api/pickup-points/{prepared.Point}/slots?from={today:yyyy-MM-dd}&to={today.AddDays(13):yyyy-MM-dd} - "], 16, seconds);
        using var staff = Client($"http://127.0.0.1:{port}", prepared.StaffToken);
        using var director = Client($"http://127.0.0.1:{port}", prepared.DirectorToken);
        var pickJson = await TimeAsync(staff, $"/api/pick-lists/{prepared.Point}/{pickDay}", 10);
        var pickPdf = await TimeAsync(staff, $"/api/pick-lists/{prepared.Point}/{pickDay}?format=pdf", 10);
        var figures = await TimeAsync(director, $"/api/figures?from={today.AddDays(-365):yyyy-MM-dd}&to={today:yyyy-MM-dd}", 5);
        Say("| measured | p50 ms | p99 ms | req/s | errors |");
        Say("|---|---:|---:|---:|---:|");
        Say($"| search, 16 connections ({string.Join(", ", prepared.CommonWords.Take(3).Select(w => $"\"{w}\""))} among the words) | {search.P50:F1} | {search.P99:F1} | {search.Rate:F0} | {search.Errors + search.Refused} |");
        Say($"| slot calendar, two weeks, 16 connections | {calendar.P50:F1} | {calendar.P99:F1} | {calendar.Rate:F0} | {calendar.Errors + calendar.Refused} |");
        Say($"| pick list of {PickListLines} lines, JSON | {pickJson.P50:F0} | {pickJson.Max:F0} | | |");
        Say($"| pick list of {PickListLines} lines, PDF | {pickPdf.P50:F0} | {pickPdf.Max:F0} | | |");
        Say($"| figures over a year | {figures.P50:F0} | {figures.Max:F0} | | |");
        Say($"| start-up to the first answer of /health/ready | {startup.TotalMilliseconds:F0} | | | |");
        Say();
        var (worst, over) = await OverbookedAsync(file);
        Say(over == 0
            ? $"Capacity held: the fullest slot has {worst} of {Capacity} places taken; no slot over its capacity (app and bare baseline)."
            : $"OVERBOOKED: {over} slots hold more than {Capacity} appointments (fullest: {worst}).");
        Say($"Load average after the runs: {LoadAverage()}. Peak resident memory: app {PeakMb(app.Id)} MB, bare baseline {PeakMb(baseline.Id)} MB.");
        Say("Not measured here yet: PostgreSQL, the 10-item surprise bundle, the morning-rush mix.");

        var results = Path.Combine(root, "bench", "results.md");
        Directory.CreateDirectory(Path.GetDirectoryName(results)!);
        await File.WriteAllTextAsync(results, report.ToString());
        Console.WriteLine($"Written to {results}.");
        app.Stop();
        baseline.Stop();
        Directory.Delete(folder, recursive: true);
        return over == 0 ? 0 : 1;
    }

    sealed record Prepared(long Point, List<long[]> Holds, List<string> Tokens, string StaffToken, string DirectorToken, DateOnly PickDay,
        List<string> CommonWords, List<string> RareWords, string Sizes);

    /// <summary>The demo network, then the library's history and the patrons of the run, written in bulk through the app's own composition.</summary>
    static async Task<Prepared> PrepareAsync(string file, string keys)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration["ConnectionStrings:ClickCollect"] = $"Data Source={file}";
        builder.Configuration["Demo:Seed"] = "true";
        builder.Configuration["Demo:History"] = "false";
        builder.Configuration["DataProtection:KeysDirectory"] = keys;
        builder.Logging.ClearProviders();
        builder.AddClickCollect();
        await using var host = builder.Build();
        await host.PrepareDatabaseAsync();
        var db = host.Services.GetRequiredService<Db>();
        await using var c = await db.OpenAsync(default);
        await c.ExecuteAsync("pragma synchronous = off"); // preparing, not measuring
        var point = await c.ExecuteScalarAsync<long>("select id from pickup_points where name = 'Médiathèque centrale – Adultes'");
        var branch = await c.ExecuteScalarAsync<long>("select branch_id from pickup_point_branches where pickup_point_id = @point", new { point });
        await c.ExecuteAsync("update slot_templates set capacity = @Capacity where pickup_point_id = @point", new { Capacity, point });

        // Words as often as the demo's real titles use them, so that common ones ("de", "la", "the") find thousands of titles.
        var vocabulary = (await c.QueryAsync<string>("select title from titles")).SelectMany(t => t.Split([' ', ',', '.', ':', '\'', '’', '(', ')', '!', '?', ';'],
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Where(w => w.Length > 1).ToList();
        var counts = vocabulary.GroupBy(w => w.ToLowerInvariant()).OrderByDescending(g => g.Count()).ToList();
        await using (var tx = await c.BeginTransactionAsync())
        {
            await c.ExecuteAsync("create temp table bench_words (id integer primary key, w text not null)", transaction: tx);
            await c.ExecuteAsync("insert into bench_words (id, w) values (@Id, @W)", vocabulary.Select((w, i) => new { Id = i, W = w }), tx);
            await tx.CommitAsync();
        }
        string Series(int n) => $"with recursive n(i) as (select 1 union all select i + 1 from n where i < {n})";
        const string Now = "strftime('%Y-%m-%d %H:%M:%S+00:00', 'now')";
        string Ago(string days) => $"strftime('%Y-%m-%d %H:%M:%S+00:00', 'now', '-' || ({days}) || ' days')";
        var words = vocabulary.Count;
        await c.ExecuteAsync($"""
            {Series(100_000)}
            insert into titles (record_id, title, authors, language, audience, format, genres, created_at, updated_at)
            select 'BENCH-' || i,
                   (select w from bench_words where id = (i * 7) % {words}) || ' ' || (select w from bench_words where id = (i * 13 + 5) % {words})
                     || ' ' || (select w from bench_words where id = (i * 31 + 11) % {words}) || ' ' || i,
                   'Auteur ' || (i % 5000), 'fr', case i % 3 when 0 then 'adult' when 1 then 'youth' else 'children' end, 'book', 'Roman', {Now}, {Now}
            from n
            """);
        var t0 = await c.ExecuteScalarAsync<long>("select min(id) from titles where record_id like 'BENCH-%'");
        await c.ExecuteAsync($"""
            {Series(150_000)}
            insert into copies (title_id, barcode, branch_id, shelf_location, call_number, status, updated_at)
            select {t0} + (i - 1) % 100000, 'BENCH' || i, {branch}, 'Romans', 'R ' || (i % 900), case when i <= 45000 then 'held' else 'onShelf' end, {Now}
            from n
            """);
        var c0 = await c.ExecuteScalarAsync<long>("select min(id) from copies where barcode like 'BENCH%'");
        var hash = new PasswordHashing().Hash("1234");
        await c.ExecuteAsync($"""
            {Series(Patrons + 3000)}
            insert into patrons (card_number, pin_hash, first_name, last_name, created_at)
            select 'B' || substr('00000' || i, -5), @hash, 'Lecteur', 'Banc ' || i, {Now} from n
            """, new { hash });
        var p0 = await c.ExecuteScalarAsync<long>("select min(id) from patrons where card_number like 'B0%'");
        // The holds the run books (each patron's own, each with its own copy), those of the pick list, then history.
        await c.ExecuteAsync($"""
            {Series(Patrons * HoldsPerPatron + PickListLines)}
            insert into holds (patron_id, title_id, copy_id, pickup_point_id, status, channel, created_at, allocated_at, updated_at)
            select case when i <= {Patrons * HoldsPerPatron} then {p0} + (i - 1) % {Patrons} else {p0} + {Patrons} + i % {PickListLines} end, {t0} + i - 1, {c0} + i - 1, {point}, 'toPick', 'web', {Now}, {Now}, {Now} from n
            """);
        var h0 = await c.ExecuteScalarAsync<long>("select min(id) from holds where status = 'toPick' and copy_id >= @c0", new { c0 });
        await c.ExecuteAsync($"""
            {Series(60_000)}
            insert into holds (patron_id, title_id, copy_id, pickup_point_id, status, channel, created_at, closed_at, updated_at)
            select {p0} + i % {Patrons + 3000}, {t0} + (i * 17) % 100000, {c0} + 45000 + i % 100000, {point}, 'collected', 'web', {Ago("i % 365")},
                   {Ago("i % 365")}, {Ago("i % 365")}
            from n
            """);
        var history0 = await c.ExecuteScalarAsync<long>("select min(id) from holds where status = 'collected' and patron_id >= @p0", new { p0 });
        await c.ExecuteAsync($"""
            {Series(50_000)}
            insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, closed_at, updated_at)
            select {p0} + i % {Patrons + 3000}, {point}, {Ago("i % 365 + 1")}, {Ago("i % 365 + 1")}, case when i % 9 = 0 then 'noShow' else 'completed' end,
                   'web', {Ago("i % 365 + 2")}, {Ago("i % 365 + 1")}, {Ago("i % 365 + 1")}
            from n
            """);
        await c.ExecuteAsync($"""
            insert into appointment_holds (appointment_id, hold_id)
            select a.id, {history0} + a.id - (select min(id) from appointments where patron_id >= {p0}) from appointments a where a.patron_id >= {p0}
            """);

        // The pick list: 500 documents on the first open day, one appointment each, spread over the day's slots.
        var calendar = await PickDayAsync(c, point);
        var pickHolds = Enumerable.Range(0, PickListLines).Select(i => h0 + Patrons * HoldsPerPatron + i).ToList();
        for (var i = 0; i < PickListLines; i++)
        {
            var start = calendar.Starts[i % calendar.Starts.Count];
            var id = await c.ExecuteScalarAsync<long>("""
                insert into appointments (patron_id, pickup_point_id, slot_start, slot_end, status, channel, created_at, updated_at)
                select patron_id, pickup_point_id, @start, @end, 'booked', 'web', @start, @start from holds where id = @hold returning id
                """, new { start, end = start.AddMinutes(15), hold = pickHolds[i] });
            await c.ExecuteAsync("insert into appointment_holds (appointment_id, hold_id) values (@id, @hold)", new { id, hold = pickHolds[i] });
        }
        await c.ExecuteAsync("create table bench_baseline (n integer primary key, slot integer not null)");
        await c.ExecuteAsync("create index bench_baseline_slot on bench_baseline (slot)");
        var sizes = await c.QuerySingleAsync<(long Titles, long Copies, long Holds, long Appointments, long Patrons)>("""
            select (select count(*) from titles), (select count(*) from copies), (select count(*) from holds),
                   (select count(*) from appointments), (select count(*) from patrons)
            """);

        var issuer = host.Services.GetRequiredService<TokenIssuer>();
        var tokens = new List<string>();
        for (var p = 0; p < Patrons; p++)
            tokens.Add((await issuer.IssueAsync(new CurrentUser(p0 + p, Roles.Patron, "Lecteur", $"B{p + 1:D5}"), default)).AccessToken);
        var counterId = await c.ExecuteScalarAsync<long>("select id from staff where username = 'counter'");
        var directorId = await c.ExecuteScalarAsync<long>("select id from staff where username = 'director'");
        var staffToken = (await issuer.IssueAsync(new CurrentUser(counterId, Roles.Counter, "Banc", null), default)).AccessToken;
        var directorToken = (await issuer.IssueAsync(new CurrentUser(directorId, Roles.Director, "Banc", null), default)).AccessToken;
        var holds = Enumerable.Range(0, Patrons).Select(p => Enumerable.Range(0, HoldsPerPatron).Select(k => h0 + k * Patrons + p).ToArray()).ToList();
        var common = counts.Take(4).Select(g => g.Key).ToList();
        var rare = counts.Where(g => g.Count() == 1).Take(20).Select(g => g.Key).ToList();
        await c.ExecuteAsync("pragma wal_checkpoint(truncate)");
        return new Prepared(point, holds, tokens, staffToken, directorToken, calendar.Day, common, rare,
            $"{sizes.Titles:N0} titles, {sizes.Copies:N0} copies, {sizes.Patrons:N0} patrons, {sizes.Holds:N0} holds, {sizes.Appointments:N0} appointments");
    }

    /// <summary>The first day after today with slot templates at the pickup point, and its slot starts (quarter hours, UTC).</summary>
    static async Task<(DateOnly Day, List<DateTimeOffset> Starts)> PickDayAsync(System.Data.Common.DbConnection c, long point)
    {
        var templates = (await c.QueryAsync<(long Weekday, string Starts, string Ends, long Minutes)>(
            "select weekday, starts_at, ends_at, slot_minutes from slot_templates where pickup_point_id = @point", new { point })).ToList();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        for (var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1); ; day = day.AddDays(1))
        {
            var open = templates.Where(t => t.Weekday == (day.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)day.DayOfWeek)).ToList();
            if (open.Count == 0) continue;
            var starts = new List<DateTimeOffset>();
            foreach (var t in open)
                for (var at = TimeOnly.Parse(t.Starts, CultureInfo.InvariantCulture); at < TimeOnly.Parse(t.Ends, CultureInfo.InvariantCulture); at = at.AddMinutes(t.Minutes))
                {
                    var local = day.ToDateTime(at);
                    starts.Add(new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime());
                }
            return (day, starts);
        }
    }

    static async Task<(long Worst, long Over)> OverbookedAsync(string file)
    {
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file}");
        await c.OpenAsync();
        var worst = await c.ExecuteScalarAsync<long>(
            "select coalesce(max(n), 0) from (select count(*) as n from appointments where status in ('booked', 'arrived') group by pickup_point_id, slot_start)");
        var over = await c.ExecuteScalarAsync<long>($"""
            select (select count(*) from (select 1 from appointments where status in ('booked', 'arrived')
                                          group by pickup_point_id, slot_start having count(*) > {Capacity}))
                 + (select count(*) from (select 1 from bench_baseline group by slot having count(*) > {Capacity}))
            """);
        return (worst, over);
    }

    static async Task<TimeSpan> FirstAnswerAsync(HttpClient http, string path, Stopwatch since)
    {
        while (since.Elapsed < TimeSpan.FromMinutes(2))
        {
            try
            {
                if ((await http.GetAsync(path)).IsSuccessStatusCode) return since.Elapsed;
            }
            catch (HttpRequestException) { /* not listening yet */ }
            await Task.Delay(10);
        }
        throw new TimeoutException($"{http.BaseAddress}{path} did not answer within 2 minutes.");
    }

    static async Task<(double P50, double Max)> TimeAsync(HttpClient http, string path, int times)
    {
        var ms = new List<double>();
        for (var i = 0; i < times; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await http.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
            ms.Add(watch.Elapsed.TotalMilliseconds);
        }
        ms.Sort();
        return (ms[ms.Count / 2], ms[^1]);
    }

    static string PeakMb(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status)) return "?";
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? "?" : (long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).ToString(CultureInfo.InvariantCulture);
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    static string MachineName()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return model ?? System.Runtime.InteropServices.RuntimeInformation.OSDescription;
    }

    static HttpClient Client(string url, string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        if (token is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ClickCollect.sln"))) return dir.FullName;
        throw new InvalidOperationException("ClickCollect.sln not found above " + AppContext.BaseDirectory);
    }
}
