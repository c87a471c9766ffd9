using System.Diagnostics.Metrics;
using ClickCollect.Api.Infrastructure.Database;
using Dapper;

namespace ClickCollect.Api.Infrastructure.Telemetry;

/// <summary>
/// The product's own measurements (#18 item 4), on the meter <see cref="MeterName"/>: what the library's
/// IT team watches beside the HTTP figures. Exported by OpenTelemetry (<see cref="TelemetrySetup"/>), and
/// readable by any <see cref="MeterListener"/> (dotnet-counters, tests). Made from the app's
/// <see cref="IMeterFactory"/>, so two apps in one process (tests) keep their counts apart.
/// </summary>
internal sealed class ClickCollectMetrics
{
    public const string MeterName = "ClickCollect";

    readonly Counter<long> bookings;
    readonly Counter<long> holdsAllocated;
    readonly Counter<long> smsSent;
    readonly Counter<long> smsFailed;
    readonly Counter<long> smsSegments;
    readonly Counter<long> jobRuns;
    readonly Histogram<double> jobDuration;

    public ClickCollectMetrics(IMeterFactory meters, Db db, ILogger<ClickCollectMetrics> logger)
    {
        var meter = meters.Create(MeterName);
        bookings = meter.CreateCounter<long>("clickcollect.bookings", "{booking}",
            "Slot bookings asked for, by result (accepted, joined, refused) and code (the refusal's problem code)");
        holdsAllocated = meter.CreateCounter<long>("clickcollect.holds.allocated", "{hold}", "Copies allocated to holds");
        smsSent = meter.CreateCounter<long>("clickcollect.sms.sent", "{message}", "SMS accepted by the provider");
        smsFailed = meter.CreateCounter<long>("clickcollect.sms.failed", "{message}", "SMS given up on (refused by the provider, or out of retries)");
        smsSegments = meter.CreateCounter<long>("clickcollect.sms.segments", "{segment}", "SMS segments sent (what the provider bills)");
        jobRuns = meter.CreateCounter<long>("clickcollect.jobs.runs", "{run}", "Background job runs, by job and result (ok, failed)");
        jobDuration = meter.CreateHistogram<double>("clickcollect.jobs.duration", "s", "How long a background job run took, by job");
        meter.CreateObservableGauge("clickcollect.sms.outbox.depth", () => OutboxDepth(db, logger), "{message}",
            "SMS waiting in the outbox (pending or being sent), read from the database when the metrics are collected");
    }

    public void Booking(string result, string? code) =>
        bookings.Add(1, new KeyValuePair<string, object?>("result", result), new KeyValuePair<string, object?>("code", code ?? result));

    public void HoldAllocated() => holdsAllocated.Add(1);

    public void SmsSent(int segments)
    {
        smsSent.Add(1);
        smsSegments.Add(Math.Max(1, segments));
    }

    public void SmsFailed() => smsFailed.Add(1);

    public void JobRun(string job, bool ok, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("job", job);
        jobRuns.Add(1, tag, new KeyValuePair<string, object?>("result", ok ? "ok" : "failed"));
        jobDuration.Record(duration.TotalSeconds, tag);
    }

    const string OutboxDepthSql = "select count(*) from sms_outbox where status in ('pending', 'sending')";

    static IEnumerable<Measurement<long>> OutboxDepth(Db db, ILogger logger)
    {
        try
        {
            using var connection = db.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
            return [new Measurement<long>(connection.ExecuteScalar<long>(OutboxDepthSql))];
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogWarning(e, "Outbox depth not measured: the database does not answer");
            return [];
        }
    }
}
