using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using ClickCollect.Api.Infrastructure.Telemetry;
using ClickCollect.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
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
        public ConcurrentBag<(string Instrument, long Value, Dictionary<string, string?> Tags)> Measurements { get; } = [];

        public Recorder(TestApp app)
        {
            var scope = app.Services.GetRequiredService<IMeterFactory>();
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ClickCollectMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope)) l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
                Measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value?.ToString()))));
            listener.Start();
        }

        public long Sum(string instrument, Func<Dictionary<string, string?>, bool>? where = null) =>
            Measurements.Where(m => m.Instrument == instrument && (where is null || where(m.Tags))).Sum(m => m.Value);

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
}
