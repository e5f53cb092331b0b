using System.Globalization;
using System.Text;

namespace Personalization.Scoring.Training;

/// <summary>Writes a trained bundle with its model card (markdown) and ROC curve (SVG) into a folder.</summary>
public static class ModelCard
{
    /// <summary>Writes <c>{kind}/{version}.zip</c>, <c>{kind}/MODEL_CARD.md</c> and <c>{kind}/roc.svg</c>; returns the bundle's path.</summary>
    public static string Write(string modelsFolder, TrainedModel trained)
    {
        var manifest = trained.Bundle.Manifest;
        var folder = Path.Combine(modelsFolder, manifest.Kind.ToString().ToLowerInvariant());
        Directory.CreateDirectory(folder);
        foreach (var old in Directory.GetFiles(folder, "*.zip"))
        {
            File.Delete(old);
        }

        var bundlePath = Path.Combine(folder, $"{manifest.Version}.zip");
        File.WriteAllBytes(bundlePath, trained.Bundle.ToBytes());
        var roc = Path.Combine(folder, "roc.svg");
        if (trained.Evaluation is { } evaluation)
        {
            File.WriteAllText(roc, Svg(evaluation));
        }
        else
        {
            File.Delete(roc);
        }

        File.WriteAllText(Path.Combine(folder, "MODEL_CARD.md"), Markdown(trained));
        return bundlePath;
    }

    private static string Markdown(TrainedModel trained)
    {
        var m = trained.Bundle.Manifest;
        var card = new StringBuilder();
        card.AppendLine(CultureInfo.InvariantCulture, $"# Model card: {m.Kind.ToString().ToLowerInvariant()} `{m.Version}`");
        card.AppendLine();
        card.AppendLine(CultureInfo.InvariantCulture, $"- **Trained:** {m.CreatedAt:yyyy-MM-dd HH:mm} UTC (the same seed and data give the same model and metrics)");
        card.AppendLine(CultureInfo.InvariantCulture, $"- **Trainer:** {m.Trainer} ({string.Join(", ", m.TrainerSettings.Select(s => $"{s.Key}={s.Value}"))})");
        card.AppendLine(CultureInfo.InvariantCulture, $"- **Data:** {m.TrainingData}");
        card.AppendLine(CultureInfo.InvariantCulture, $"- **Output:** {m.Output.ToString().ToLowerInvariant()}, label `{m.LabelColumn}`");
        card.AppendLine(CultureInfo.InvariantCulture, $"- **Bundle SHA-256 of model.zip:** `{m.ContentSha256}`");
        card.AppendLine();
        card.AppendLine("## Hold-out metrics");
        card.AppendLine();
        card.AppendLine("| metric | value |");
        card.AppendLine("|---|---|");
        foreach (var (name, value) in m.Metrics)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value:0.0000} |");
        }

        card.AppendLine();
        if (trained.Evaluation is not null)
        {
            card.AppendLine("![ROC curve](roc.svg)");
            card.AppendLine();
        }

        card.AppendLine("## Features");
        card.AppendLine();
        card.AppendLine("| name | type |");
        card.AppendLine("|---|---|");
        foreach (var feature in m.Features)
        {
            card.AppendLine(CultureInfo.InvariantCulture, $"| `{feature.Name}` | {feature.Type.ToString().ToLowerInvariant()} |");
        }

        return card.ToString();
    }

    private static string Svg(BinaryEvaluation evaluation)
    {
        const int size = 300;
        var points = string.Join(" ", evaluation.Roc.Select(p => string.Create(CultureInfo.InvariantCulture, $"{30 + p.Fpr * size:0.#},{10 + (1 - p.Tpr) * size:0.#}")));
        return string.Create(CultureInfo.InvariantCulture, $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{size + 40}" height="{size + 40}" font-family="sans-serif" font-size="11">
              <rect x="30" y="10" width="{size}" height="{size}" fill="white" stroke="black"/>
              <line x1="30" y1="{10 + size}" x2="{30 + size}" y2="10" stroke="gray" stroke-dasharray="4"/>
              <polyline points="{points}" fill="none" stroke="steelblue" stroke-width="2"/>
              <text x="{30 + size / 2}" y="{size + 35}" text-anchor="middle">false positive rate</text>
              <text x="12" y="{10 + size / 2}" transform="rotate(-90 12 {10 + size / 2})" text-anchor="middle">true positive rate</text>
              <text x="{size - 60}" y="{size - 5}">AUC {evaluation.Auc:0.000}</text>
            </svg>
            """);
    }
}
