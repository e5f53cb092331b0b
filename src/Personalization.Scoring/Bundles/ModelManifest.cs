using System.Text.Json.Serialization;
using Personalization.Decisioning.Features;

namespace Personalization.Scoring.Bundles;

/// <summary>What a bundle says about its model: kind, version, how it was trained, what it reads, how good it is.</summary>
public sealed record ModelManifest
{
    /// <summary>"churn" or "offer".</summary>
    [JsonPropertyName("kind")] public required ModelKind Kind { get; init; }

    /// <summary>Unique label, e.g. "churn-2026-11-22-1a2b3c4d".</summary>
    [JsonPropertyName("version")] public required string Version { get; init; }

    /// <summary>When it was trained.</summary>
    [JsonPropertyName("created_at")] public required DateTime CreatedAt { get; init; }

    /// <summary>The trainer, e.g. "LbfgsLogisticRegression".</summary>
    [JsonPropertyName("trainer")] public required string Trainer { get; init; }

    /// <summary>The trainer's settings, as written by whoever trained it.</summary>
    [JsonPropertyName("trainer_settings")] public Dictionary<string, string> TrainerSettings { get; init; } = [];

    /// <summary>What it was trained on.</summary>
    [JsonPropertyName("training_data")] public string TrainingData { get; init; } = "";

    /// <summary>The features it reads, in the order of its input vectors.</summary>
    [JsonPropertyName("features")] public required List<FeatureSpec> Features { get; init; }

    /// <summary>Evaluation metrics by name, e.g. "auc".</summary>
    [JsonPropertyName("metrics")] public Dictionary<string, double> Metrics { get; init; } = [];

    /// <summary>How the model file is stored: <c>mlnet</c> (<c>model.zip</c>, the default) or <c>onnx</c> (<c>model.onnx</c>).</summary>
    [JsonPropertyName("format")] public ModelFormat Format { get; init; } = ModelFormat.Mlnet;

    /// <summary>What the model answers: a <c>probability</c> (0..1, the default) or a <c>value</c> (any finite number).</summary>
    [JsonPropertyName("output")] public ModelOutputKind Output { get; init; } = ModelOutputKind.Probability;

    /// <summary>The label column of the bundle's <c>holdout.csv</c>: what activation measures the model against.</summary>
    [JsonPropertyName("label_column")] public string LabelColumn { get; init; } = "label";

    /// <summary>Lower-case hex SHA-256 of the model file in the bundle.</summary>
    [JsonPropertyName("content_sha256")] public string ContentSha256 { get; init; } = "";
}
