namespace Personalization.Contracts.Models;

/// <summary>One model version in the registry; the bundle itself is in blob storage under its SHA-256.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelEntry
{
    /// <summary>The kind by name: "churn", "offer", "clv", ...</summary>
    [Id(0)] public string Kind { get; init; } = "";

    [Id(1)] public string Version { get; init; } = "";

    /// <summary>Lower-case hex SHA-256 of the bundle: its name in blob storage.</summary>
    [Id(2)] public string Sha256 { get; init; } = "";

    [Id(3)] public long SizeBytes { get; init; }

    [Id(4)] public string Trainer { get; init; } = "";

    [Id(5)] public string TrainingData { get; init; } = "";

    /// <summary>The features it reads, as (name, type).</summary>
    [Id(6)] public IReadOnlyList<ModelFeature> Features { get; init; } = [];

    [Id(7)] public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    [Id(8)] public DateTime CreatedAt { get; init; }

    [Id(9)] public DateTime PushedAt { get; init; }

    [Id(10)] public DateTime? ActivatedAt { get; init; }

    [Id(11)] public ModelEntryStatus Status { get; init; }

    [Id(12)] public string RejectionReason { get; init; } = "";

    /// <summary>The figures the service measured on the bundle's validation set when it activated it (the manifest's <see cref="Metrics"/> are the author's claim).</summary>
    [Id(13)] public IReadOnlyDictionary<string, double> MeasuredMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>What the model answers: "probability" or "value".</summary>
    [Id(14)] public string Output { get; init; } = "probability";

    /// <summary>How the model is stored: "mlnet" or "onnx".</summary>
    [Id(15)] public string Format { get; init; } = "mlnet";

    /// <summary>Which rows <see cref="MeasuredMetrics"/> were measured on and how many (the bundle's holdout.csv or the service's own rows); empty before measuring.</summary>
    [Id(16)] public string MeasuredOn { get; init; } = "";

    /// <summary>The registry key of a version.</summary>
    public static string KeyOf(string kind, string version) => $"{kind}/{version}";
}

/// <summary>A feature a model reads.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelFeature([property: Id(0)] string Name, [property: Id(1)] string Type);
