using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Tests.Contract;
using ClickCollect.Tests.Support;
using ClickCollect.Tests.Support.Databases;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClickCollect.Tests.Infrastructure.Telemetry;

/// <summary>
/// #18 item 4, as an operator switches it on: one app process (the API's build output, on a copy of the
/// seeded SQLite database) with the log settings of <c>deploy/clickcollect.env</c> (JSON lines) and
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> pointed at a fake OTLP/HTTP collector; a patron books a slot. The
/// log is one JSON object per line, and the collector receives the product's meter and the request's trace.
/// One process serves both tests (class fixture), so the pair costs one start.
/// </summary>
public sealed class ObservabilityProcessTests(ObservabilityProcessTests.BookedInstance booked) : IClassFixture<ObservabilityProcessTests.BookedInstance>
{
    [Fact]
    public void With_the_shipped_json_log_settings_every_line_is_one_json_object_and_a_request_logs_its_fields()
    {
        var lines = booked.App.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var parsed = ParseOrNull(line);
            Assert.True(parsed?.RootElement.ValueKind == JsonValueKind.Object, $"not one JSON object on its line: {line}");
        }

        var finished = booked.BookingLog;
        foreach (var field in new[] { "Timestamp", "EventId", "LogLevel", "Category", "Message", "State", "Scopes" })
            Assert.True(finished.TryGetProperty(field, out _), $"no {field} in {finished}");
        Assert.Equal("Information", finished.GetProperty("LogLevel").GetString());
        Assert.Equal("Microsoft.AspNetCore.Hosting.Diagnostics", finished.GetProperty("Category").GetString());
        Assert.Equal(201, finished.GetProperty("State").GetProperty("StatusCode").GetInt32());
        Assert.Equal("POST", finished.GetProperty("State").GetProperty("Method").GetString());
        // UTC, as the template asks (journald and collectors compare instants across machines).
        var timestamp = DateTimeOffset.Parse(finished.GetProperty("Timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, timestamp.Offset);
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Matches("^[0-9a-f]{32}$", booked.BookingTraceId);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_collector_receives_the_product_metrics_and_the_trace_of_the_booking()
    {
        var collector = booked.Collector;
        var traceId = Convert.FromHexString(booked.BookingTraceId);
        var waited = Stopwatch.StartNew();
        // Metrics leave every 500 ms, spans every 200 ms (the test's export settings): seconds at most.
        while (!(collector.Has("/v1/metrics", "clickcollect.bookings") && collector.Has("/v1/traces", traceId)) && waited.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(100);

        Assert.All(collector.ContentTypes, t => Assert.Equal("application/x-protobuf", t));
        // The product's meter and its instruments, with ASP.NET Core's request duration beside them.
        foreach (var name in new[] { ClickCollectMetrics.MeterName, "clickcollect.bookings", "clickcollect.holds.allocated", "http.server.request.duration", "clickcollect-observability-test" })
            Assert.True(collector.Has("/v1/metrics", name), $"{name} not in the metrics received ({collector.Count("/v1/metrics")} exports)");
        // The booking's trace: the span of POST /api/appointments, under the trace id its log line names.
        Assert.True(collector.Has("/v1/traces", traceId), $"the booking's trace {booked.BookingTraceId} not received ({collector.Count("/v1/traces")} exports)");
        Assert.True(collector.Has("/v1/traces", "/api/appointments"), "no span names the booking's route");
        Assert.True(collector.Has("/v1/traces", "http.route"));
        Assert.Empty(collector.Refused);
    }

    static JsonDocument? ParseOrNull(string line)
    {
        try { return JsonDocument.Parse(line); }
        catch (JsonException) { return null; }
    }

    /// <summary>The app process, the collector it exports to, and one booking made through it.</summary>
    public sealed class BookedInstance : IAsyncLifetime
    {
        public FakeOtlpCollector Collector { get; private set; } = null!;
        public AppProcess App { get; private set; } = null!;
        /// <summary>The log line "Request finished" of the booking's POST.</summary>
        public JsonElement BookingLog { get; private set; }
        public string BookingTraceId { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Collector = await FakeOtlpCollector.StartAsync();
            var database = await new SqliteTestDatabase().CreateSeededAsync();
            var environment = new Dictionary<string, string>
            {
                ["Database__Provider"] = "sqlite",
                ["ConnectionStrings__ClickCollect"] = database,
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.BaseUrl.ToString().TrimEnd('/'),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_SERVICE_NAME"] = "clickcollect-observability-test",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                // Each request's start and end (Information); the rest at the test default (Warning).
                ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
            };
            // The log settings an operator copies from the template.
            foreach (var line in await File.ReadAllLinesAsync(Path.Combine(OpenApiDocumentTests.RepositoryRoot(), "deploy", "clickcollect.env")))
                if (line.StartsWith("Logging__", StringComparison.Ordinal) && line.IndexOf('=') is var eq and > 0)
                    environment[line[..eq]] = line[(eq + 1)..];
            Assert.Equal("json", environment["Logging__Console__FormatterName"]);

            App = AppProcess.Serve(environment);
            // Beside the rest of `make test` on two cores a first start can take minutes (seen: over 90 s).
            await App.WaitUntilReadyAsync(TimeSpan.FromMinutes(3));
            using var http = new HttpClient { BaseAddress = App.BaseAddress };
            var booking = await BookAsync(http, database);
            const string path = "/api/appointments";
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                foreach (var line in App.Output.Split('\n'))
                {
                    if (!line.Contains("\"Request finished", StringComparison.Ordinal) || !line.Contains(path, StringComparison.Ordinal)) continue;
                    var log = JsonDocument.Parse(line).RootElement;
                    if (log.GetProperty("State").GetProperty("Method").GetString() != "POST" || log.GetProperty("State").GetProperty("Path").GetString() != path) continue;
                    BookingLog = log.Clone();
                    BookingTraceId = log.GetProperty("Scopes").EnumerateArray()
                        .Select(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out var t) ? t.GetString() : null)
                        .First(t => t is not null)!;
                    return;
                }
                await Task.Delay(50);
            }
            throw new TimeoutException($"no \"Request finished\" line for the booking ({booking}): {App.Output}");
        }

        /// <summary>A director imports a title; patron P0001 reserves it and books a slot at the central library. Returns the appointment.</summary>
        static async Task<string> BookAsync(HttpClient http, string database)
        {
            async Task<AuthenticationHeaderValue> SignInAsync(string path, object body)
            {
                var response = await http.PostAsJsonAsync(path, body);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
                return new("Bearer", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
            }
            async Task<JsonElement> SendAsync(HttpMethod method, string path, AuthenticationHeaderValue? who, HttpContent? content, HttpStatusCode expected)
            {
                using var request = new HttpRequestMessage(method, path) { Content = content };
                request.Headers.Authorization = who;
                var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
                return JsonDocument.Parse(text).RootElement;
            }

            var director = await SignInAsync("/api/staff/sign-in", new { username = "director", password = TestApp.DemoPassword });
            await SendAsync(HttpMethod.Post, "/api/catalogue/imports?format=csv", director, new StringContent(
                "recordId,title,authors,language,audience,format,genres,barcode,branchCode,shelfLocation,callNumber\n" +
                "OBS-1,\"Titre observé\",\"Essai, Test\",fr,adult,book,Roman,OBS-1-001,CENTRALE,Romans adultes,R ESS\n", Encoding.UTF8, "text/csv"), HttpStatusCode.OK);
            long title;
            await using (var db = new Microsoft.Data.Sqlite.SqliteConnection(database))
                title = await db.ExecuteScalarAsync<long>("select id from titles where record_id = 'OBS-1'");
            var point = (await SendAsync(HttpMethod.Get, "/api/pickup-points?all=true", null, null, HttpStatusCode.OK)).EnumerateArray()
                .Single(p => p.GetProperty("name").GetString() == Library.CentralAdults).GetProperty("id").GetInt64();
            var slot = (await SendAsync(HttpMethod.Get, $"/api/pickup-points/{point}/slots", null, null, HttpStatusCode.OK)).EnumerateArray()
                .Where(s => s.GetProperty("remaining").GetInt32() > 0).Skip(1).First().GetProperty("start").GetString(); // not the nearest: its cut-off could pass

            var patron = await SignInAsync("/api/patrons/sign-in", new { cardNumber = "P0001", pin = "1234" });
            var hold = await SendAsync(HttpMethod.Post, "/api/holds", patron, JsonContent.Create(new { titleId = title, pickupPointId = point }), HttpStatusCode.Created);
            return (await SendAsync(HttpMethod.Post, "/api/appointments", patron,
                JsonContent.Create(new { pickupPointId = point, slotStart = slot, holdIds = new[] { hold.GetProperty("id").GetInt64() } }), HttpStatusCode.Created)).ToString();
        }

        public async Task DisposeAsync()
        {
            if (App is not null) await App.DisposeAsync();
            if (Collector is not null) await Collector.DisposeAsync();
        }
    }

    /// <summary>
    /// An OpenTelemetry collector's OTLP/HTTP receiver reduced to what a test reads: it takes every POST
    /// to /v1/metrics, /v1/traces and /v1/logs, answers 200, and keeps the protobuf bodies as bytes
    /// (names and routes are UTF-8 strings in them; ids are raw bytes).
    /// </summary>
    public sealed class FakeOtlpCollector : IAsyncDisposable
    {
        readonly WebApplication app;
        readonly ConcurrentDictionary<string, ConcurrentQueue<byte[]>> bodies = new();

        FakeOtlpCollector(WebApplication app) => this.app = app;

        public Uri BaseUrl { get; private set; } = null!;
        public ConcurrentBag<string> ContentTypes { get; } = [];
        public ConcurrentQueue<string> Refused { get; } = new();

        public static async Task<FakeOtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var collector = new FakeOtlpCollector(app);
            app.MapPost("/v1/{signal}", async (string signal, HttpContext http) =>
            {
                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body);
                collector.ContentTypes.Add(http.Request.ContentType ?? "");
                collector.bodies.GetOrAdd("/v1/" + signal, _ => new()).Enqueue(body.ToArray());
                return Results.Bytes([], "application/x-protobuf");
            });
            app.MapFallback((HttpContext http) =>
            {
                collector.Refused.Enqueue($"{http.Request.Method} {http.Request.Path}");
                return Results.NotFound();
            });
            await app.StartAsync();
            collector.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return collector;
        }

        public int Count(string path) => bodies.TryGetValue(path, out var q) ? q.Count : 0;

        public bool Has(string path, string text) => Has(path, Encoding.UTF8.GetBytes(text));

        public bool Has(string path, byte[] bytes) => bodies.TryGetValue(path, out var q) && q.Any(b => b.AsSpan().IndexOf(bytes) >= 0);

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
