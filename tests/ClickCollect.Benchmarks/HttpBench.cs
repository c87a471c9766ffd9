using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickCollect.Tests.Support.Databases;
using Dapper;

namespace ClickCollect.Benchmarks;

/// <summary>
/// <c>make bench</c> (#17 item 3): the booking call over HTTP, beside the bare limit. The real app (Release, Production
/// settings, SQLite synchronous=FULL as shipped; then PostgreSQL with its default durability when Debian's server is
/// installed) runs as its own process on a library of 100,000 titles, 100,000 holds and 50,000 past appointments
/// (<see cref="BenchLibrary"/>); thousands of patrons hold allocated documents; <c>wrk</c> books for them at 16, 64 and
/// 256 connections, each run beside the bare baseline (<see cref="BaselineServer"/>: one conditional insert per request
/// on the same database) at the same concurrency. Then, in the same run: search, the slot calendar, a pick list of 500
/// lines (JSON, PDF), the figures of a year, a 10-item surprise bundle, the start-up time and a morning-rush mix; at the
/// end, no slot may hold more than its capacity. Everything is printed and written to bench/results.md.
/// </summary>
internal static class HttpBench
{
    public static async Task<int> RunAsync(Options options)
    {
        var wrk = Wrk.Find();
        if (wrk is null)
        {
            Console.WriteLine("wrk is missing: `apt-get install wrk` (Debian), then make bench again.");
            return 1;
        }
        var root = RepositoryRoot();
        var appDll = options.App ?? Path.Combine(root, "src/ClickCollect.Api/bin/Release/net10.0/ClickCollect.Api.dll");
        if (!File.Exists(appDll)) throw new FileNotFoundException("Build the app in Release first (make bench does).", appDll);
        var report = new Report();
        report.Say($"# make bench ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        report.Say();
        report.Say($"Machine: {Environment.ProcessorCount} cores, {MachineName()}, {MemoryGb()} GB; load average {LoadAverage()} before the runs "
            + "(the machine is shared: figures move with the load, so each table gives it).");
        report.Say($"wrk, 2 threads, {options.Seconds} s per run; slots of {BenchLibrary.Capacity} places. The warm-up and each booking run have "
            + $"{BookingLinesPerRun(options):N0} booking lines of their own ({BenchLibrary.BookingsPerSecond:N0} a second), each sent once; "
            + "req/s counts the answers 2xx, and a run answered any 409 is marked INVALID.");

        var failures = 0;
        foreach (var database in options.Databases)
        {
            var folder = Directory.CreateTempSubdirectory("clickcollect-bench-").FullName;
            try
            {
                string connectionString;
                Func<int?>? serverPid = null;
                if (database == "postgres")
                {
                    if (PostgresServer.FindBinaries() is null)
                    {
                        report.Say();
                        report.Say("PostgreSQL: server binaries not found (Debian's postgresql package, or PG_BIN): not measured.");
                        continue;
                    }
                    // pg_stat_statements (shipped with Debian's server) tells where the server's time goes in the booking runs.
                    var server = PostgresServer.Start(durable: true,
                        "-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on");
                    connectionString = $"Host=127.0.0.1;Port={server.Port};Username=postgres;Database=postgres";
                    serverPid = () => server.ProcessId;
                }
                else connectionString = $"Data Source={Path.Combine(folder, "bench.db")}";
                failures += await RunDatabaseAsync(database, connectionString, serverPid, folder, wrk, appDll, options, report);
            }
            finally
            {
                if (options.Keep) Console.WriteLine($"Kept (--keep): {folder}");
                else Directory.Delete(folder, recursive: true);
            }
        }
        report.Say();
        report.Say("Targets (#17 item 4):");
        report.Say();
        foreach (var line in report.Targets) report.Say(line);

        var results = Path.Combine(root, "bench", "results.md");
        Directory.CreateDirectory(Path.GetDirectoryName(results)!);
        await File.WriteAllTextAsync(results, report.Text);
        Console.WriteLine($"Written to {results}.");
        return failures;
    }

    static async Task<int> RunDatabaseAsync(string provider, string connectionString, Func<int?>? serverPid, string folder, string wrk, string appDll, Options options, Report report)
    {
        var name = provider == "postgres" ? "PostgreSQL" : "SQLite";
        var keys = Path.Combine(folder, "keys");
        Console.WriteLine($"{name}: preparing the library …");
        var preparing = Stopwatch.StartNew();
        // The warm-up's lines, then each booking run's.
        var perRun = BookingLinesPerRun(options);
        var library = await BenchLibrary.PrepareAsync(provider, connectionString, keys, options.Patrons,
            perRun * (1 + (options.Measures("booking") ? options.Connections.Length : 0)));
        preparing.Stop(); // the report counted the start-up and the 30 s warm-up after it too: "prepared in 39 s" for about 8
        Console.WriteLine($"{name}: prepared in {preparing.Elapsed.TotalSeconds:F0} s.");
        var (port, basePort) = (FreePort(), FreePort());
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Database__Provider"] = provider,
            ["ConnectionStrings__ClickCollect"] = connectionString,
            ["DataProtection__KeysDirectory"] = keys,
            ["Demo__Seed"] = "false",
            // wrk calls from one address: the per-address limit is for the open internet, not for this.
            ["RateLimits__RequestsPerMinute"] = "100000000",
            ["Logging__LogLevel__Default"] = "Warning",
            // As deployed (README, "Running for a network"): behind a proxy that speaks HTTPS to the browser. wrk sends
            // X-Forwarded-Proto: https as nginx would; without it Production answers every call with a redirect.
            ["ReverseProxy__KnownProxies__0"] = "127.0.0.1",
        };
        // The runtime settings the deploy's unit gives the app (deploy/systemd: the GC's gen1 cap), so memory is measured as deployed.
        foreach (var line in File.ReadLines(Path.Combine(RepositoryRoot(), "deploy", "systemd", "clickcollect@.service")))
            if (line.StartsWith("Environment=DOTNET_", StringComparison.Ordinal) && line["Environment=".Length..].Split('=', 2) is [var key, var value])
                env[key] = value;
        var started = Stopwatch.StartNew();
        using var app = Child.Start("dotnet", $"{appDll} --urls http://127.0.0.1:{port}", env);
        using var http = Client($"http://127.0.0.1:{port}", null);
        var startup = await FirstAnswerAsync(http, "/health/ready", started);
        var (startupCpu, startupLoad) = (CpuMs(app.Id), LoadAverage(1));
        var baselineTarget = provider == "postgres" ? connectionString : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        using var baseline = Child.Start("dotnet",
            $"{typeof(HttpBench).Assembly.Location} --baseline-server {provider} \"{baselineTarget}\" {basePort} {BenchLibrary.Capacity}", new Dictionary<string, string>());
        using var baseHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{basePort}") };
        await FirstAnswerAsync(baseHttp, "/health", Stopwatch.StartNew());
        var url = $"http://127.0.0.1:{port}";
        async Task<Wrk.Result> Drive(IReadOnlyList<string> lines, int connections)
        {
            var cpu = CpuMs(app.Id);
            var result = await Wrk.RunAsync(wrk, url, folder, lines, connections, options.Seconds);
            return result with { CpuMs = (CpuMs(app.Id) - cpu) / Math.Max(1, result.Requests) };
        }

        // The counter's open days from tomorrow to its horizon, from its own calendar: today's slots pass their lead time during the run.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var calendarPath = $"/api/pickup-points/{library.Point}/slots?from={today:yyyy-MM-dd}&to={today.AddDays(13):yyyy-MM-dd}";
        var slots = await http.GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{library.Point}/slots?from={BenchLibrary.Today().AddDays(1):yyyy-MM-dd}");
        var days = slots!.Select(s => s.GetProperty("start").GetString()!).GroupBy(s => s[..10]).Select(g => g.ToList()).ToList();
        if (days.Count * BenchLibrary.BookingsPerDay < library.HoldsPerPatron)
            throw new InvalidOperationException($"{days.Count} open days for {library.HoldsPerPatron} holds a patron: some would be refused (appointment_limit).");
        // A patron's holds k and k + 1 go to two slots of day k / 2: no more a day than the app allows.
        string Booking(long hold, string token, int patron, int k)
        {
            var day = days[k / BenchLibrary.BookingsPerDay];
            return $"POST /api/appointments {token} {{\"pickupPointId\":{library.Point},\"slotStart\":\"{day[(patron * 7 + k) % day.Count]}\",\"holdIds\":[{hold}]}}";
        }
        // Line j books hold k = j / patrons of patron p = j % patrons: a run's lines go round the patrons, each hold once.
        var lineCount = library.Holds.Count * library.HoldsPerPatron;
        string Line(int j)
        {
            var (k, p) = Math.DivRem(j, library.Holds.Count);
            return Booking(library.Holds[p][k], library.Tokens[p], p, k);
        }
        List<string> BookingLines(int first) => [.. Enumerable.Range(first, perRun).Select(Line)];
        var words = library.CommonWords.Concat(library.RareWords).ToList();
        var rushLines = RushLines(library, words, days, Booking);
        // A line refused for a full slot would be a 409 too: no slot may be sent more bookings than it has places.
        var fullest = Enumerable.Range(0, lineCount).Select(Line).Concat(rushLines).Where(l => l.Contains("slotStart", StringComparison.Ordinal)).CountBy(SlotOf).Max(s => s.Value);
        if (fullest > BenchLibrary.Capacity)
            throw new InvalidOperationException($"A slot would be sent {fullest} bookings for {BenchLibrary.Capacity} places: some would be refused (slot_full).");
        // Warm-up, not reported: in its first tens of seconds under load the app runs code the JIT has not optimised yet
        // (tiered compilation; the JIT took 16-24 % of the CPU of the first booking run), which is start-up, not the
        // booking's cost. Booking lines of its own (the last ones), the reads and the bare insert are driven once before measuring.
        var warmLines = BookingLines(lineCount - perRun);
        var warming = Stopwatch.StartNew();
        var searchLines = Enumerable.Range(0, 1000).Select(j => $"GET /api/titles?q={Uri.EscapeDataString(words[j % words.Count])} - ").ToList();
        await Wrk.RunAsync(wrk, url, folder, warmLines, 16, options.Seconds);
        await Wrk.RunAsync(wrk, url, folder, searchLines, 16, Math.Max(2, options.Seconds / 2));
        await Wrk.RunAsync(wrk, url, folder, [$"GET {calendarPath} - "], 16, Math.Max(2, options.Seconds / 2));
        await Wrk.RunAsync(wrk, $"http://127.0.0.1:{basePort}", folder, BareLines(0), 16, options.Seconds);

        report.Say();
        report.Say($"## {name}{(provider == "postgres" ? " (default durability: fsync, synchronous commit)" : ", synchronous=FULL")}");
        report.Say();
        report.Say($"{library.Sizes}; prepared in {preparing.Elapsed.TotalSeconds:F0} s. Booking lines: {library.Holds.Count:N0} patrons with " +
                   $"{library.HoldsPerPatron} allocated holds each, booked {BenchLibrary.BookingsPerDay} a day over {days.Count} open days (the counter " +
                   $"takes bookings {library.HorizonDays} days ahead); fullest slot {fullest} of {BenchLibrary.Capacity} places if every line were booked. " +
                   $"Warmed up for {warming.Elapsed.TotalSeconds:F0} s ({warmLines.Count:N0} booking lines, search, calendar, bare insert). Load average {LoadAverage()} before the runs.");
        report.Say();
        var errors = 0L;
        var statements = serverPid is null ? null : new ServerStatements(connectionString, serverPid);
        // The same for the bare baseline's runs: its server CPU per request, beside the booking's.
        var bareStatements = serverPid is null ? null : new ServerStatements(connectionString, serverPid);
        var bareRequests = 0L;
        var bookings = 0L;
        var spread = new List<string>();
        var invalid = new List<string>();
        if (options.Measures("booking"))
        {
            report.Say("| connections | call | req/s | p50 ms | p90 ms | p99 ms | 2xx | 409 | errors | ratio | CPU ms/req | peak RSS MB | load |");
            report.Say("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        }
        for (var i = 0; i < options.Connections.Length && options.Measures("booking"); i++)
        {
            var n = options.Connections[i];
            var baseCpu = CpuMs(baseline.Id);
            if (bareStatements is not null) await bareStatements.StartAsync();
            var bare = await Wrk.RunAsync(wrk, $"http://127.0.0.1:{basePort}", folder, BareLines(i + 1), n, options.Seconds);
            if (bareStatements is not null) await bareStatements.StopAsync();
            bareRequests += bare.Requests;
            bare = bare with { CpuMs = (CpuMs(baseline.Id) - baseCpu) / Math.Max(1, bare.Requests) };
            if (statements is not null) await statements.StartAsync();
            var runLines = BookingLines(i * perRun);
            var book = await Drive(runLines, n);
            if (statements is not null) await statements.StopAsync();
            var load = LoadAverage(1);
            var rss = PeakMb(app.Id);
            // Only real bookings count: a 409 (a line sent twice, a full slot) is not one, and it marks the run INVALID.
            var ratio = book.OkRate / bare.OkRate;
            var valid = book.Refused == 0 && bare.Refused == 0;
            report.Say($"| {n} | bare insert | {bare.OkRate:F0} | {bare.P50:F1} | {bare.P90:F1} | {bare.P99:F1} | {bare.Ok} | {bare.Refused} | {bare.Errors} | | {bare.CpuMs:F2} | {PeakMb(baseline.Id)} | {load} |");
            report.Say($"| {n} | booking | {book.OkRate:F0} | {book.P50:F1} | {book.P90:F1} | {book.P99:F1} | {book.Ok} | {book.Refused} | {book.Errors} | {(valid ? $"{ratio:F2}×" : "INVALID")} | {book.CpuMs:F2} | {rss} | {load} |");
            if (!valid) invalid.Add($"{n} connections: {book.Refused} bookings and {bare.Refused} bare inserts answered 409");
            errors += book.Errors + bare.Errors;
            bookings += book.Ok + book.Refused;
            // How the run's bookings spread over slots (each slot's bookings take its lock in turn): those sent, in order.
            var sent = runLines.Take((int)Math.Min(runLines.Count, book.Requests)).Select(SlotOf).ToList();
            spread.Add($"{n} connections: {sent.Distinct().Count()} slots for {sent.Count:N0} bookings, up to {sent.Chunk(n).Select(c => c.GroupBy(x => x).Max(g => g.Count())).DefaultIfEmpty().Max()} of {n} consecutive ones in one slot");
            if (provider == "sqlite" && n == 64)
                report.Target(valid ? ratio >= 1.0 && book.P99 < 50 : null, $"SQLite booking ≥ 1.0× the bare durable insert with p99 < 50 ms at 64 connections: {ratio:F2}×, p99 {book.P99:F0} ms");
            if (provider == "postgres" && n == 64)
                report.Target(valid ? ratio >= 0.6 : null, $"PostgreSQL booking ≥ 0.6× the bare transaction at 64 connections: {ratio:F2}×");
            if (n == 256) report.Target(rss != "?" && int.Parse(rss, CultureInfo.InvariantCulture) < 200, $"{name}: under 200 MB resident at 256 connections: {rss} MB");
        }
        if (options.Measures("booking"))
        {
            report.Say();
            report.Say($"Slots booked (the bare baseline's requests go to 400 slots in turn, new ones each run): {string.Join("; ", spread)}.");
            if (invalid.Count > 0)
            {
                report.Say();
                report.Say($"**INVALID**: {string.Join("; ", invalid)}. Every line is sent once and every slot has room for all its lines, so a 409 "
                    + "means the run ran out of lines or the app refused a booking it should take: these runs' figures mean nothing.");
            }
            report.Say();
            bareStatements?.Report(bareRequests, report.Say, "bare baseline");
            statements?.Report(bookings, report.Say);
        }

        // Reads, as patrons and staff make them (--only reads, or search alone), then the morning rush (--only rush).
        // Each read is measured alone: after what the runs before it left to do (SettleAsync), as a quiet app would be.
        var rows = new List<string>();
        var settled = new List<string>();
        if (options.Measures("search"))
        {
            settled.Add("search: " + await SettleAsync(provider, connectionString, app.Id));
            var searchStatements = serverPid is null ? null : new ServerStatements(connectionString, serverPid);
            if (searchStatements is not null) await searchStatements.StartAsync();
            var search = await Drive(searchLines, 16);
            if (searchStatements is not null) await searchStatements.StopAsync();
            rows.Add($"| search, 16 connections ({string.Join(", ", library.CommonWords.Take(3).Select(w => $"\"{w}\""))} among the words) | {search.P50:F1} | {search.P99:F1} | {search.Rate:F0} | {search.Errors + search.Refused} | {search.CpuMs:F2} | {LoadAverage(1)} |");
            errors += search.Errors;
            report.Target(search.P99 < 20, $"{name}: search p99 < 20 ms at 16 connections on 100,000 titles, common words included: {search.P99:F1} ms");
            searchStatements?.Report(search.Requests, report.Say, "search");
        }
        if (options.Measures("reads"))
        {
            settled.Add("the other reads: " + await SettleAsync(provider, connectionString, app.Id));
            var calendar = await Drive([$"GET {calendarPath} - "], 16);
            rows.Add($"| slot calendar, two weeks, 16 connections | {calendar.P50:F1} | {calendar.P99:F1} | {calendar.Rate:F0} | {calendar.Errors + calendar.Refused} | {calendar.CpuMs:F2} | {LoadAverage(1)} |");
            errors += calendar.Errors;
            report.Target(calendar.Rate >= 2000, $"{name}: slot calendar ≥ 2,000 req/s: {calendar.Rate:F0} req/s");
            using var staff = Client(url, library.StaffToken);
            using var director = Client(url, library.DirectorToken);
            using var librarian = Client(url, library.LibrarianToken);
            var pickDay = library.PickDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var pickLines = (await staff.GetFromJsonAsync<JsonElement>($"/api/pick-lists/{library.PickPoint}/{pickDay}")).GetProperty("lineCount").GetInt32();
            var pickJson = await TimeAsync(() => staff.GetAsync($"/api/pick-lists/{library.PickPoint}/{pickDay}"), 10);
            var pickPdf = await TimeAsync(() => staff.GetAsync($"/api/pick-lists/{library.PickPoint}/{pickDay}?format=pdf"), 10);
            var pickLoad = LoadAverage(1);
            var figures = await TimeAsync(() => director.GetAsync($"/api/figures?from={today.AddDays(-365):yyyy-MM-dd}&to={today:yyyy-MM-dd}"), 5);
            var bundle = await BundleAsync(url, library, librarian, 5);
            var readsLoad = LoadAverage(1);
            rows.Add($"| pick list of {pickLines} lines, JSON (p50 and slowest of 10) | {pickJson.P50:F0} | {pickJson.Max:F0} | | | | {pickLoad} |");
            rows.Add($"| pick list of {pickLines} lines, PDF (p50 and slowest of 10) | {pickPdf.P50:F0} | {pickPdf.Max:F0} | | | | {pickLoad} |");
            rows.Add($"| figures over a year (p50 and slowest of 5) | {figures.P50:F0} | {figures.Max:F0} | | | | {readsLoad} |");
            rows.Add($"| surprise bundle of {bundle.Items} items: propose (p50 and slowest of {bundle.Runs}) | {bundle.Propose.P50:F0} | {bundle.Propose.Max:F0} | | | | {readsLoad} |");
            rows.Add($"| surprise bundle of {bundle.Items} items: confirm (p50 and slowest of {bundle.Runs}) | {bundle.Confirm.P50:F0} | {bundle.Confirm.Max:F0} | | | | {readsLoad} |");
            report.Target(pickPdf.P50 < 300 && pickLines == BenchLibrary.PickListLines, $"{name}: pick list PDF of {pickLines} lines under 300 ms: {pickPdf.P50:F0} ms (p50)");
        }
        rows.Add($"| start-up to the first answer of /health/ready (CPU {startupCpu:F0} ms) | {startup.TotalMilliseconds:F0} | | | | | {startupLoad} |");
        report.Target(startup.TotalMilliseconds < 1500, $"{name}: start-up under 1.5 s to the first answer: {startup.TotalMilliseconds:F0} ms");
        if (options.Measures("rush"))
        {
            settled.Add("the rush: " + await SettleAsync(provider, connectionString, app.Id));
            // The morning rush: patrons search, reserve, book and look at their reservations, all at once.
            var rush = await Drive(rushLines, 64);
            rows.Add($"| morning rush, 64 connections: 40 % search, 20 % hold, 20 % booking, 20 % my reservations ({rush.Ok} 2xx, {rush.Refused} 409) | {rush.P50:F1} | {rush.P99:F1} | {rush.Rate:F0} | {rush.Errors} | {rush.CpuMs:F2} | {LoadAverage(1)} |");
            errors += rush.Errors;
        }
        report.Say("| measured | p50 ms | p99 ms | req/s | errors | CPU ms/req | load |");
        report.Say("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows) report.Say(row);
        report.Say();
        if (settled.Count > 0) report.Say($"Before each measure, {string.Join("; ", settled)}.");

        var (appPeak, basePeak) = (PeakMb(app.Id), PeakMb(baseline.Id));
        app.Stop();
        baseline.Stop();
        (long Worst, long Over) capacity;
        await using (var c = provider == "postgres"
            ? (System.Data.Common.DbConnection)new Npgsql.NpgsqlConnection(connectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection(connectionString))
        {
            await c.OpenAsync();
            capacity = await BenchLibrary.OverbookedAsync(c);
        }
        report.Say(capacity.Over == 0
            ? $"Capacity held: the fullest slot has {capacity.Worst} of {BenchLibrary.Capacity} places taken; no slot over its capacity (app and bare baseline)."
            : $"OVERBOOKED: {capacity.Over} slots hold more than {BenchLibrary.Capacity} appointments (fullest: {capacity.Worst}).");
        report.Say($"Load average after the runs: {LoadAverage()}. Peak resident memory: app {appPeak} MB, bare baseline {basePeak} MB.");
        report.Target(errors == 0 && capacity.Over == 0, $"{name}: zero errors and zero overbooking: {errors} errors, {capacity.Over} slots over capacity");
        return capacity.Over == 0 && invalid.Count == 0 ? 0 : 1;
    }

    /// <summary>Booking lines for the warm-up and for each booking run: more than it can book at the best rate this machine allows.</summary>
    static int BookingLinesPerRun(Options options) => BenchLibrary.BookingsPerSecond * options.Seconds;

    /// <summary>The bare baseline's requests: 400 slots in turn, new ones for each run (run 0: the warm-up), so no slot fills up.</summary>
    static List<string> BareLines(int run) => [.. Enumerable.Range(0, 400).Select(j => $"POST /book - {{\"slot\":{run * 400 + j}}}")];

    static string SlotOf(string bookingLine) => bookingLine.Split("\"slotStart\":\"")[1].Split('"')[0];

    /// <summary>
    /// The morning rush's requests, interleaved so that every stretch of the file holds the same mix: searches (common and
    /// rare words), holds placed on titles on the shelf, bookings of the rush patrons' allocated holds, and each patron's
    /// "Mes réservations" (their appointments, their holds).
    /// </summary>
    static List<string> RushLines(BenchLibrary library, List<string> words, List<List<string>> days, Func<long, string, int, int, string> booking)
    {
        var lines = new List<string>();
        var (holds, bookings, views) = (0, 0, 0);
        for (var i = 0; bookings < library.RushHolds.Count * BenchLibrary.RushHoldsPerPatron; i++)
        {
            switch (i % 10)
            {
                case < 4:
                    lines.Add($"GET /api/titles?q={Uri.EscapeDataString(words[i % words.Count])} - ");
                    break;
                case < 6:
                    var placer = holds % BenchLibrary.RushPatrons;
                    var title = library.RushTitles[holds % library.RushTitles.Count];
                    lines.Add($"POST /api/holds {library.RushTokens[placer]} {{\"titleId\":{title},\"pickupPointId\":{library.Point}}}");
                    holds++;
                    break;
                case < 8:
                    var (patron, k) = (bookings % BenchLibrary.RushPatrons, bookings / BenchLibrary.RushPatrons);
                    lines.Add(booking(library.RushHolds[patron][k], library.RushTokens[patron], patron, k));
                    bookings++;
                    break;
                default:
                    lines.Add($"GET /api/{(i % 10 == 8 ? "appointments" : "holds")} {library.RushTokens[views++ % BenchLibrary.RushPatrons]} ");
                    break;
            }
        }
        return lines;
    }

    sealed record BundleFigures(int Items, int Runs, (double P50, double Max) Propose, (double P50, double Max) Confirm);

    /// <summary>
    /// A patron asks for 10 surprise documents; a librarian takes the request, has a bundle proposed and confirms it
    /// (holds on those copies, on the pick list). Proposing and confirming are timed, each over <paramref name="runs"/> requests.
    /// </summary>
    static async Task<BundleFigures> BundleAsync(string url, BenchLibrary library, HttpClient librarian, int runs)
    {
        var (propose, confirm) = (new List<double>(), new List<double>());
        var items = 0;
        for (var i = 0; i < runs; i++)
        {
            using var patron = Client(url, library.SelectionTokens[i]);
            var created = await Ok(await patron.PostAsJsonAsync("/api/selection-requests", new
            {
                pickupPointId = library.Point, count = 10, audience = "adult", languages = new[] { "fr" }, genres = new[] { "Policier", "Histoire" },
                likedAuthors = new[] { $"Auteur {i * 3}" }, notes = "Des enquêtes, et un peu d'histoire.",
            }));
            var id = created.GetProperty("id").GetInt64();
            await Ok(await librarian.PostAsync($"/api/selection-requests/{id}/claim", null));
            var watch = Stopwatch.StartNew();
            var proposal = await Ok(await librarian.PostAsync($"/api/selection-requests/{id}/proposal", null));
            propose.Add(watch.Elapsed.TotalMilliseconds);
            var copies = proposal.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("copyId").GetInt64()).ToList();
            items = copies.Count;
            watch.Restart();
            await Ok(await librarian.PostAsJsonAsync($"/api/selection-requests/{id}/confirm", new { copyIds = copies }));
            confirm.Add(watch.Elapsed.TotalMilliseconds);
        }
        return new BundleFigures(items, runs, Summary(propose), Summary(confirm));
    }

    static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
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

    static async Task<(double P50, double Max)> TimeAsync(Func<Task<HttpResponseMessage>> call, int times)
    {
        var ms = new List<double>();
        for (var i = 0; i < times; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await call();
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode}");
            ms.Add(watch.Elapsed.TotalMilliseconds);
        }
        return Summary(ms);
    }

    static (double P50, double Max) Summary(List<double> ms)
    {
        ms.Sort();
        return (ms[ms.Count / 2], ms[^1]);
    }

    /// <summary>
    /// Waits until the work a measure left behind is done, so that the next one is measured alone (#17): the SMS
    /// notices of the bookings just made (the dispatcher closes each one, "not configured" here: about 10,000 after the
    /// booking runs, several statements each), and on PostgreSQL autovacuum, then a checkpoint taken now rather than
    /// during the next run. Settled: nothing left to send and the app under 5 % of a core for two seconds in a row
    /// (at most two minutes). Returns what it waited for, for the report.
    /// </summary>
    static async Task<string> SettleAsync(string provider, string connectionString, int appPid)
    {
        var waited = Stopwatch.StartNew();
        await using var c = provider == "postgres"
            ? (System.Data.Common.DbConnection)new Npgsql.NpgsqlConnection(connectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        await c.OpenAsync();
        const string Unsent = "select count(*) from sms_outbox where status in ('pending', 'sending')";
        const string Vacuums = "select count(*) from pg_stat_activity where backend_type = 'autovacuum worker'";
        var unsentAtFirst = await c.ExecuteScalarAsync<long>(Unsent);
        var (unsent, quiet) = (unsentAtFirst, 0);
        while (quiet < 2 && waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            var cpu = CpuMs(appPid);
            await Task.Delay(1000);
            var before = unsent;
            unsent = await c.ExecuteScalarAsync<long>(Unsent);
            // Still sending (a notice postponed to after quiet hours stays unsent: not waited for), the app busy, or a vacuum running.
            var busy = unsent < before || CpuMs(appPid) - cpu > 50 || provider == "postgres" && await c.ExecuteScalarAsync<long>(Vacuums) > 0;
            quiet = busy ? 0 : quiet + 1;
        }
        // (Dapper would call a one-word statement as a stored procedure: CommandType.Text.)
        if (provider == "postgres") await c.ExecuteAsync(new CommandDefinition("checkpoint", commandType: System.Data.CommandType.Text));
        return $"{waited.Elapsed.TotalSeconds:F0} s to settle first ({unsentAtFirst - unsent:N0} SMS notices closed meanwhile)";
    }

    static string PeakMb(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status)) return "?";
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? "?" : (long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>CPU time (user + system) a process has used so far, ms: a measure the other users of a shared machine change little.</summary>
    static double CpuMs(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return 0;
        var fields = File.ReadAllText(stat).Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After the command name: state is field 3, utime 14 and stime 15 (clock ticks of 10 ms on Linux).
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    static string LoadAverage(int count = 3) =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(count)) : "unknown";

    static string MachineName()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return model ?? System.Runtime.InteropServices.RuntimeInformation.OSDescription;
    }

    static string MemoryGb()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? "?" : (long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024 / 1024).ToString(CultureInfo.InvariantCulture);
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

    /// <summary>What the run prints and writes to bench/results.md, and the targets met or missed.</summary>
    sealed class Report
    {
        readonly StringBuilder text = new();

        public List<string> Targets { get; } = [];

        public string Text => text.ToString();

        public void Say(string line = "")
        {
            Console.WriteLine(line);
            text.AppendLine(line);
        }

        /// <param name="met">null: not judged, the run that measures it was INVALID.</param>
        public void Target(bool? met, string what) => Targets.Add($"- {met switch { true => "met", false => "**MISSED**", null => "**INVALID**" }}: {what}");
    }
}
