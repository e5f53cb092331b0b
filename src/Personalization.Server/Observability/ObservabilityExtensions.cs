using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Dashboard;
using Personalization.Contracts.Diagnostics;
using Personalization.Scoring.Scoring;

namespace Personalization.Server.Observability;

/// <summary>Metrics, traces, logs and the dashboard, from settings.</summary>
public static class ObservabilityExtensions
{
    // The meters a user would chart: the product's, Orleans', ASP.NET Core's and Kestrel's, gRPC's.
    private static readonly string[] Meters = [ProductTelemetry.Name, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Grpc.AspNetCore.Server"];
    private static readonly string[] Sources = [ProductTelemetry.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>The silo's half: trace context across grain calls, and the dashboard's grains when enabled.</summary>
    public static ISiloBuilder AddObservability(this ISiloBuilder silo, DashboardSettings dashboard)
    {
        silo.AddActivityPropagation();
        if (dashboard.Enabled)
        {
            silo.AddDashboard();
        }

        return silo;
    }

    /// <summary>Adds OpenTelemetry metrics, traces and logs, exported over OTLP when an endpoint is set.</summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder, TelemetrySettings telemetry)
    {
        if (telemetry.OtlpEndpoint.Length == 0)
        {
            return builder;
        }

        void Exporter(OtlpExporterOptions options, string signal)
        {
            var http = telemetry.OtlpProtocol == "http/protobuf";
            options.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            // Over HTTP each signal has its own path under the collector's address.
            options.Endpoint = new Uri(http ? $"{telemetry.OtlpEndpoint.TrimEnd('/')}/v1/{signal}" : telemetry.OtlpEndpoint);
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(telemetry.ServiceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddOtlpExporter((exporter, reader) =>
                {
                    Exporter(exporter, "metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)telemetry.MetricInterval.TotalMilliseconds;
                }))
            .WithTracing(tracing => tracing
                .AddSource(Sources)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(exporter => Exporter(exporter, "traces")))
            .WithLogging(logging => logging.AddOtlpExporter(exporter => Exporter(exporter, "logs")), options => options.IncludeScopes = true);
        return builder;
    }

    /// <summary>Publishes the model versions this silo serves (a gauge of 1 per kind, version and arm) on the server's own meter.</summary>
    public static void PublishModelVersions(IMeterFactory meters, ScoringService scoring) =>
        meters.Create(ProductTelemetry.Name).CreateObservableGauge("personalization.model.active", () => Versions(scoring), "{model}", "The model versions this silo scores with: 1 per kind, version and arm.");

    /// <summary>Serves the dashboard on its own HTTP/1.1 port when enabled.</summary>
    public static void ListenForDashboard(this KestrelServerOptions kestrel, DashboardSettings dashboard)
    {
        if (dashboard.Enabled)
        {
            kestrel.Listen(IPAddress.Parse(dashboard.ListenAddress), dashboard.Port, listen => listen.Protocols = HttpProtocols.Http1);
        }
    }

    /// <summary>Maps the dashboard's pages on its port only.</summary>
    public static void MapDashboard(this WebApplication app, DashboardSettings dashboard)
    {
        if (dashboard.Enabled)
        {
            app.MapOrleansDashboard().RequireHost($"*:{dashboard.Port}");
        }
    }

    private static IEnumerable<Measurement<int>> Versions(ScoringService scoring)
    {
        foreach (var kind in scoring.ActiveKinds)
        {
            var name = kind.Name;
            if (scoring.Active(kind) is { } champion)
            {
                yield return new Measurement<int>(1, new KeyValuePair<string, object?>("kind", name), new KeyValuePair<string, object?>("version", champion.Version), new KeyValuePair<string, object?>("arm", "champion"));
            }

            if (scoring.Challenger(kind) is { } challenger)
            {
                yield return new Measurement<int>(1, new KeyValuePair<string, object?>("kind", name), new KeyValuePair<string, object?>("version", challenger.Model.Version), new KeyValuePair<string, object?>("arm", "challenger"));
            }
        }
    }
}
