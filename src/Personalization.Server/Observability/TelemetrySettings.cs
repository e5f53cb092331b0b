using System.ComponentModel.DataAnnotations;

namespace Personalization.Server.Observability;

/// <summary>
/// OpenTelemetry export (section <c>Telemetry</c>): metrics, traces and logs go to an OTLP
/// collector when <see cref="OtlpEndpoint"/> is set; without it nothing is exported.
/// </summary>
public sealed class TelemetrySettings : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>The collector, e.g. http://otel-collector:4317 (gRPC) or http://otel-collector:4318 (HTTP); empty: no export.</summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary>grpc or http/protobuf.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>How often metrics are exported.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MetricInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The service name on every metric, span and log.</summary>
    [Required]
    public string ServiceName { get; set; } = "personalization";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OtlpEndpoint.Length > 0 && !(Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            yield return new ValidationResult($"must be an absolute URL such as http://otel-collector:4317; got '{OtlpEndpoint}'.", [nameof(OtlpEndpoint)]);
        }

        if (OtlpProtocol is not ("grpc" or "http/protobuf"))
        {
            yield return new ValidationResult($"must be grpc or http/protobuf; got '{OtlpProtocol}'.", [nameof(OtlpProtocol)]);
        }
    }
}
