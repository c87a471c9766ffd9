using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using ClickCollect.Api.Features.Catalogue;
using ClickCollect.Api.Features.Notifications;
using ClickCollect.Api.Infrastructure.Database;
using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using static ClickCollect.Tests.Features.Notifications.SmsKit;
using Answer = ClickCollect.Tests.Support.FakeTwilio.Answer;
using static ClickCollect.Tests.Support.Library;

namespace ClickCollect.Tests.Infrastructure.Telemetry;

/// <summary>#18 item 4: the product's own meters count what happens, as any MeterListener (OpenTelemetry, dotnet-counters) sees it.</summary>
public sealed class MetricsTests
{
    const string Wednesday11 = "2026-03-11T09:00:00+00:00";

    /// <summary>Listens to the ClickCollect meter of one app only (tests run apps side by side in one process).</summary>
    sealed class Recorder : IDisposable
    {
        readonly MeterListener listener = new();
        readonly SemaphoreSlim measured = new(0);
        public ConcurrentBag<(string Instrument, double Value, Dictionary<string, string?> Tags)> Measurements { get; } = [];

        public Recorder(TestApp app)
        {
            var scope = app.Services.GetRequiredService<IMeterFactory>();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ClickCollectMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope)) l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument.Name, value, tags));
            listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument.Name, value, tags));
            listener.Start();
        }

        void Add(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            Measurements.Add((instrument, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString())));
            measured.Release();
        }

        public double Sum(string instrument, Func<Dictionary<string, string?>, bool>? where = null) =>
            Measurements.Where(m => m.Instrument == instrument && (where is null || where(m.Tags))).Sum(m => m.Value);

        /// <summary>Waits (10 s at most) for a measurement recorded on another thread, a background job's.</summary>
        public async Task<(string Instrument, double Value, Dictionary<string, string?> Tags)> WaitForAsync(string instrument, Func<Dictionary<string, string?>, bool> where)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                if (Measurements.FirstOrDefault(m => m.Instrument == instrument && where(m.Tags)) is { Instrument: not null } found) return found;
                await measured.WaitAsync(timeout.Token);
            }
        }

        public void Collect() => listener.RecordObservableInstruments();

        public void Dispose() => listener.Dispose();
    }

    [Fact]
    public async Task A_booking_is_counted_accepted_and_a_refusal_by_its_code_and_the_allocation_and_outbox_depth_are_measured()
    {
        await using var app = await TestApp.StartAsync();
        _ = app.Services.GetRequiredService<ClickCollectMetrics>();
        using var recorder = new Recorder(app);
        var adults = await PickupPointIdAsync(app, CentralAdults);
        var (title, _) = await TitleAsync(app, "CENTRALE");
        var patron = await PatronAsync(app, "P0001");
        var hold = (await ReadAsync(await patron.PostAsJsonAsync("/api/holds", new { titleId = title, pickupPointId = adults }), HttpStatusCode.Created)).GetProperty("id").GetInt64();

        await ReadAsync(await patron.PostAsJsonAsync("/api/appointments", new { pickupPointId = adults, slotStart = Wednesday11, holdIds = new[] { hold } }), HttpStatusCode.Created);
        await ProblemAssert.IsProblemAsync(await patron.PostAsJsonAsync("/api/appointments",
            new { pickupPointId = adults, slotStart = "2026-03-11T09:07:00+00:00", holdIds = new[] { hold } }), HttpStatusCode.Conflict, "slot_unknown");

        Assert.Equal(1, recorder.Sum("clickcollect.bookings", t => t["result"] == "accepted"));
        Assert.Equal(1, recorder.Sum("clickcollect.bookings", t => t["result"] == "refused" && t["code"] == "slot_unknown"));
        Assert.Equal(1, recorder.Sum("clickcollect.holds.allocated"));

        recorder.Collect(); // the outbox depth is read from the database when collected
        Assert.Contains(recorder.Measurements, m => m.Instrument == "clickcollect.sms.outbox.depth" && m.Value >= 0);
    }

    [Fact]
    public async Task Sms_sent_with_their_segments_and_sms_given_up_on_are_counted_as_the_dispatcher_sends_them_to_twilio()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await TestApp.StartAsync(Settings(twilio, ("Sms:MaxAttempts", "2")));
        twilio.Clock = app.Clock.GetUtcNow;
        using var recorder = new Recorder(app);

        await EnqueueAsync(app, Consenting, "Votre document est prêt.");
        var longer = string.Concat(Enumerable.Repeat("Votre document vous attend a la mediatheque centrale. ", 4));
        Assert.Equal(2, SmsSegments.Count(longer)); // 216 GSM-7 characters
        await EnqueueAsync(app, Consenting, longer);
        await DispatchAsync(app);
        Assert.Equal((2, 2, 3, 0), (twilio.Messages.Count, recorder.Sum("clickcollect.sms.sent"), recorder.Sum("clickcollect.sms.segments"), recorder.Sum("clickcollect.sms.failed")));

        twilio.Then(new Answer.Error(400, 21211, "Invalid 'To' Phone Number"));   // refused: final
        await EnqueueAsync(app, Consenting, "Refusé par Twilio.");
        await DispatchAsync(app);
        Assert.Equal((2, 1), (recorder.Sum("clickcollect.sms.sent"), recorder.Sum("clickcollect.sms.failed")));

        twilio.Then(new Answer.Error(429, 20429, "Too Many Requests"), new Answer.Error(429, 20429, "Too Many Requests")); // out of retries
        await EnqueueAsync(app, Consenting, "Twilio trop occupé.");
        await DispatchAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await DispatchAsync(app);
        Assert.Equal((2, 2), (recorder.Sum("clickcollect.sms.sent"), recorder.Sum("clickcollect.sms.failed")));

        twilio.Then(new Answer.TakeThenDrop());   // taken, no answer: found in Twilio's list on the retry, sent once and counted once
        await EnqueueAsync(app, Consenting, "Pris sans réponse.");
        await DispatchAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await DispatchAsync(app);
        Assert.Equal((3, 3, 4, 2), (twilio.Messages.Count, recorder.Sum("clickcollect.sms.sent"), recorder.Sum("clickcollect.sms.segments"), recorder.Sum("clickcollect.sms.failed")));
        Assert.Empty(twilio.Complaints);
    }

    [Fact]
    public async Task Background_job_runs_are_counted_by_job_and_result_and_timed()
    {
        var folder = Directory.CreateTempSubdirectory("metrics-status-").FullName;
        try
        {
            await using var app = await TestApp.StartAsync(new() { ["CopyStatusSync:Folder"] = folder });
            using var recorder = new Recorder(app);
            static bool Folder(Dictionary<string, string?> t) => t["job"] == nameof(CopyStatusFolderWorker);

            app.Clock.Advance(TimeSpan.FromMinutes(5));     // every 5 minutes on the app's clock: an empty folder is a good run
            await recorder.WaitForAsync("clickcollect.jobs.runs", t => Folder(t) && t["result"] == "ok");

            await File.WriteAllTextAsync(Path.Combine(folder, "0001.csv"), "barcode,status\n");
            await using (var c = await app.Service<Db>().OpenAsync(default))
                await c.ExecuteAsync("drop table copy_status_files"); // the job cannot claim the file: its run fails
            app.Clock.Advance(TimeSpan.FromMinutes(5));
            await recorder.WaitForAsync("clickcollect.jobs.runs", t => Folder(t) && t["result"] == "failed");

            var durations = recorder.Measurements.Where(m => m.Instrument == "clickcollect.jobs.duration" && Folder(m.Tags)).ToList();
            Assert.True(durations.Count >= 2, $"{durations.Count} durations recorded");
            Assert.All(durations, d => Assert.True(d.Value is >= 0 and < 60, $"{d.Value} s"));
            Assert.All(recorder.Measurements.Where(m => m.Instrument == "clickcollect.jobs.runs"), m => Assert.Contains(m.Tags["result"], new[] { "ok", "failed" }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
