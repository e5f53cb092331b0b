using Personalization.Contracts.Models;
using Personalization.Scoring.Bundles;

namespace Personalization.Server.Models;

/// <summary>The registry entry of a bundle.</summary>
public static class ModelEntries
{
    /// <summary>The entry for a bundle stored under <paramref name="sha256"/>.</summary>
    public static ModelEntry From(ModelManifest manifest, string sha256, long sizeBytes) => new()
    {
        Kind = Name(manifest.Kind),
        Version = manifest.Version,
        Sha256 = sha256,
        SizeBytes = sizeBytes,
        Trainer = manifest.TrainerSettings.Count == 0 ? manifest.Trainer : $"{manifest.Trainer} ({string.Join(", ", manifest.TrainerSettings.Select(s => $"{s.Key}={s.Value}"))})",
        TrainingData = manifest.TrainingData,
        Features = [.. manifest.Features.Select(f => new ModelFeature(f.Name, f.Type.ToString().ToLowerInvariant()))],
        Metrics = manifest.Metrics,
        CreatedAt = manifest.CreatedAt,
        Output = manifest.Output.ToString().ToLowerInvariant(),
        Format = manifest.Format.ToString().ToLowerInvariant(),
    };

    /// <summary>The registry's name of a kind: "churn", "offer", "clv", ...</summary>
    public static string Name(ModelKind kind) => kind.Name;
}
