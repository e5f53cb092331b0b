using System.Globalization;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;
using Personalization.Scoring.Training;

namespace Personalization.Scoring.Validation;

/// <summary>
/// Measures a loaded model on a labelled validation set with the service's own scoring: ROC AUC,
/// PR AUC, log loss and calibration error for probabilities; RMSE and MAE for values. These are
/// the figures activation believes; the manifest's are shown, not trusted.
/// </summary>
public static class Measurement
{
    /// <summary>Why an answer is unusable for an output kind (NaN, infinite, a probability outside 0..1), or null.</summary>
    public static string? OutputProblem(float answer, ModelOutputKind output) =>
        !float.IsFinite(answer) ? "answers must be finite"
        : output == ModelOutputKind.Probability && answer is < 0 or > 1 ? "a probability must be within 0..1"
        : null;

    /// <summary>The model's metrics on the set, with its "rows" (and a probability's "positives"); throws <see cref="InvalidModelBundleException"/> when a row's answer is unusable.</summary>
    public static Dictionary<string, double> Of(LoadedModel model, ValidationSet set)
    {
        var output = model.Bundle.Manifest.Output;
        var answers = new float[set.Inputs.Count];
        for (var i = 0; i < answers.Length; i++)
        {
            answers[i] = model.Score(set.Inputs[i]);
            if (OutputProblem(answers[i], output) is { } problem)
            {
                throw new InvalidModelBundleException(string.Create(CultureInfo.InvariantCulture, $"{set.Source} row {i + 1}: the model answers {answers[i]}; {problem}"));
            }
        }

        var metrics = output == ModelOutputKind.Probability
            ? BinaryEvaluation.Of([.. answers.Select((p, i) => (p, set.Labels[i] == 1))]).ToMetrics()
            : Regression(answers, set.Labels);
        metrics["rows"] = answers.Length;
        if (output == ModelOutputKind.Probability)
        {
            metrics["positives"] = set.Positives;
        }

        return metrics;
    }

    /// <summary>RMSE, MAE, R² (1 − squared error ÷ the labels' variance; 0 when the labels do not vary) and the means of the answers and the labels.</summary>
    public static Dictionary<string, double> Regression(IReadOnlyList<float> answers, IReadOnlyList<double> labels)
    {
        double squared = 0, absolute = 0, spread = 0;
        var meanLabel = labels.Average();
        for (var i = 0; i < answers.Count; i++)
        {
            var error = answers[i] - labels[i];
            squared += error * error;
            absolute += Math.Abs(error);
            spread += (labels[i] - meanLabel) * (labels[i] - meanLabel);
        }

        return new()
        {
            ["rmse"] = Math.Round(Math.Sqrt(squared / answers.Count), 4),
            ["mae"] = Math.Round(absolute / answers.Count, 4),
            ["r2"] = spread == 0 ? 0 : Math.Round(1 - (squared / spread), 4),
            ["mean_prediction"] = Math.Round(answers.Average(a => (double)a), 4),
            ["mean_label"] = Math.Round(labels.Average(), 4),
        };
    }
}
