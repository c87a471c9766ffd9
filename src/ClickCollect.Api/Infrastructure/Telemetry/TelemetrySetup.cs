using ClickCollect.Api.Infrastructure.OpenApi;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ClickCollect.Api.Infrastructure.Telemetry;

/// <summary>
/// Observability (#18 item 4). The product's meters (<see cref="ClickCollectMetrics"/>) always exist, so
/// <c>dotnet-counters monitor -n ClickCollect.Api --counters ClickCollect</c> reads them on any machine.
/// OpenTelemetry (traces of every request, with its database calls, and metrics: ASP.NET Core's and
/// ours) is switched on by the standard variable <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with
/// <c>OTEL_SERVICE_NAME</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>… as the OpenTelemetry SDK reads them), and
/// costs nothing without it. Logs as one JSON object per line: <c>Logging__Console__FormatterName=json</c>.
/// </summary>
internal static class TelemetrySetup
{
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static void AddClickCollectTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ClickCollectMetrics>();
        if (BuildTime.IsGeneratingOpenApiDocument || string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpoint])) return;

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName: builder.Configuration["OTEL_SERVICE_NAME"] ?? "clickcollect",
                serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}"))
            .WithTracing(t => t
                // The load balancer asks every few seconds: those requests are not worth a trace.
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddSource("Npgsql"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddMeter(ClickCollectMetrics.MeterName, "Npgsql"))
            .UseOtlpExporter();
    }
}
