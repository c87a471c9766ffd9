using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace ClickCollect.Tests.Reliability;

/// <summary>
/// #14 item 8: kill -9 under booking load. The app runs as a child process on a temporary SQLite file
/// (the embedded default), patrons reserve titles and book a slot for each as fast as they can, and the
/// process is killed (SIGKILL: no shutdown code runs) in the middle, three times in a row on the same
/// file. Every reservation and appointment the app acknowledged (2xx) must be in the file afterwards,
/// and SQLite's integrity check must answer "ok". Bounded: under a second of load per crash once writes flow.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    const int Crashes = 3;
    const int Patrons = 6;
    static readonly TimeSpan LoadBeforeKill = TimeSpan.FromMilliseconds(700);

    [Fact]
    public async Task Kill_9_under_booking_load_loses_no_acknowledged_booking_and_the_file_stays_sound()
    {
        var connectionString = await new SqliteTestDatabase().CreateSeededAsync();
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var keys = Directory.CreateTempSubdirectory("cc-crash-keys-").FullName;
        var holds = new ConcurrentBag<long>();
        var appointments = new ConcurrentBag<long>();
        var refusals = new ConcurrentDictionary<string, int>();
        var requests = 0;
        var fives = 0;
        var watch = Stopwatch.StartNew();

        for (var crash = 1; crash <= Crashes; crash++)
        {
            var port = FreePort();
            using var app = Start(connectionString, keys, port);
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
                await WaitUntilReadyAsync(http, app);
                var titles = (await http.GetFromJsonAsync<JsonElement>("/api/titles?pageSize=100")).GetProperty("items").EnumerateArray()
                    .Select(t => t.GetProperty("id").GetInt64()).ToArray();
                var point = (await http.GetFromJsonAsync<JsonElement[]>("/api/pickup-points"))![0].GetProperty("id").GetInt64();

                using var stop = new CancellationTokenSource();
                var acknowledgedBefore = holds.Count;
                var bookedBefore = appointments.Count;
                var load = Enumerable.Range(1, Patrons).Select(async p =>
                {
                    try
                    {
                        using var client = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                        var card = $"P{p + (crash - 1) * Patrons:0000}";
                        var signIn = await client.PostAsJsonAsync("/api/patrons/sign-in", new { cardNumber = card, pin = "1234" });
                        signIn.EnsureSuccessStatusCode();
                        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                            (await signIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
                        var slots = await client.GetFromJsonAsync<JsonElement[]>($"/api/pickup-points/{point}/slots");
                        // Each patron starts on a slot of their own and moves to the next one when it fills up.
                        var open = new Queue<string>(slots!.Where(s => s.GetProperty("remaining").GetInt32() > 0)
                            .Select(s => s.GetProperty("start").GetString()!).Skip(p * 3));
                        foreach (var title in titles.Skip(p * 7))
                        {
                            if (stop.IsCancellationRequested) return;
                            try
                            {
                                var hold = await client.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = point }, stop.Token);
                                Interlocked.Increment(ref requests);
                                if ((int)hold.StatusCode >= 500) Interlocked.Increment(ref fives);
                                if (hold.StatusCode != HttpStatusCode.Created) continue;
                                var holdId = (await hold.Content.ReadFromJsonAsync<JsonElement>(stop.Token)).GetProperty("id").GetInt64();
                                holds.Add(holdId); // acknowledged: it must survive the crash
                                if (!open.TryPeek(out var slot)) continue;
                                var booked = await client.PostAsJsonAsync("/api/appointments",
                                    new { pickupPointId = point, slotStart = slot, holdIds = new[] { holdId } }, stop.Token);
                                Interlocked.Increment(ref requests);
                                if ((int)booked.StatusCode >= 500) Interlocked.Increment(ref fives);
                                if (booked.IsSuccessStatusCode)
                                    appointments.Add((await booked.Content.ReadFromJsonAsync<JsonElement>(stop.Token)).GetProperty("id").GetInt64());
                                else
                                {
                                    // A queued hold (no copy free) cannot be booked yet; a full slot sends the patron to the next one.
                                    var code = (await booked.Content.ReadFromJsonAsync<JsonElement>(stop.Token)).GetProperty("code").GetString()!;
                                    refusals.AddOrUpdate(code, 1, (_, n) => n + 1);
                                    if (code == "slot_full") open.Dequeue();
                                }
                            }
                            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or JsonException)
                            {
                                return; // the process died mid-answer: not acknowledged
                            }
                        }
                    }
                    catch (Exception e) when (e is OperationCanceledException or HttpRequestException or JsonException)
                    {
                        // killed while signing in or reading the slots: nothing acknowledged yet
                    }
                }).ToList();

                // Kill in the middle of the writes: once some reservations and a booking are acknowledged (a loaded machine
                // signs in and books slowly), a moment later.
                var loading = Stopwatch.StartNew();
                while ((holds.Count < acknowledgedBefore + 5 || appointments.Count <= bookedBefore) && loading.Elapsed < TimeSpan.FromSeconds(30))
                    await Task.Delay(20);
                await Task.Delay(LoadBeforeKill);
                app.Kill(); // SIGKILL on Linux: no graceful shutdown, no checkpoint
                stop.Cancel();
                await Task.WhenAll(load);
            }
            finally
            {
                if (!app.HasExited) app.Kill();
                await app.WaitForExitAsync();
            }
        }

        SqliteConnection.ClearAllPools();
        await using var db = new SqliteConnection(connectionString);
        await db.OpenAsync();
        var integrity = await db.ExecuteScalarAsync<string>("pragma integrity_check");
        var storedHolds = (await db.QueryAsync<long>("select id from holds")).ToHashSet();
        var storedAppointments = (await db.QueryAsync<long>("select id from appointments")).ToHashSet();
        var lostHolds = holds.Where(h => !storedHolds.Contains(h)).ToList();
        var lostAppointments = appointments.Distinct().Where(a => !storedAppointments.Contains(a)).ToList();

        var figures = $"kill -9 on sqlite: {Crashes} crashes under load, {requests} requests, 5xx = {fives}, " +
                      $"{holds.Count} reservations and {appointments.Distinct().Count()} appointments acknowledged, " +
                      $"{lostHolds.Count + lostAppointments.Count} lost, integrity_check {integrity}, {watch.Elapsed.TotalSeconds:0.0} s " +
                      $"(bookings refused: {string.Join(", ", refusals.OrderBy(r => r.Key).Select(r => $"{r.Key} × {r.Value}"))})";
        output.WriteLine(figures);
        Figures.Write("crash-sqlite", figures);
        Assert.Equal("ok", integrity);
        Assert.Empty(lostHolds);
        Assert.Empty(lostAppointments);
        Assert.Equal(0, fives);
        Assert.True(holds.Count >= Crashes, figures); // the load did write before each crash
        Assert.True(appointments.Distinct().Count() >= Crashes, figures); // and booked slots, not only reservations
        Directory.Delete(keys, recursive: true);
        File.Delete(file);
    }

    /// <summary>The API's own build output, copied next to the tests, run with dotnet as a separate process.</summary>
    static Process Start(string connectionString, string keys, int port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ClickCollect.Api.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Database__Provider"] = "sqlite";
        start.Environment["ConnectionStrings__ClickCollect"] = connectionString;
        start.Environment["DataProtection__KeysDirectory"] = keys;
        start.Environment["Demo__Seed"] = "false";
        start.Environment["Holds__MaxActivePerPatron"] = "1000";
        start.Environment["Appointments__MaxPerPatronPerDay"] = "1000";
        start.Environment["RateLimits__RequestsPerMinute"] = "100000";
        start.Environment["Sms__RunInBackground"] = "false";
        start.Environment["Ils__RunInBackground"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static async Task WaitUntilReadyAsync(HttpClient http, Process app)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (app.HasExited) throw new InvalidOperationException($"the app stopped on its own (exit code {app.ExitCode})");
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the app did not answer /health/ready within 120 s");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
