namespace Personalization.Scoring.Training;

/// <summary>
/// Hold-out metrics of a probability model, computed from (probability, label) pairs: ROC AUC,
/// PR AUC (average precision), log loss, expected calibration error over ten bins, and ROC points.
/// </summary>
public sealed record BinaryEvaluation(double Auc, double PrAuc, double LogLoss, double CalibrationError, double PositiveRate, IReadOnlyList<(double Fpr, double Tpr)> Roc)
{
    /// <summary>Evaluates predictions against labels.</summary>
    public static BinaryEvaluation Of(IReadOnlyList<(float Probability, bool Label)> predictions)
    {
        var positives = predictions.Count(p => p.Label);
        var negatives = predictions.Count - positives;
        var sorted = predictions.OrderByDescending(p => p.Probability).ToList();

        // ROC and average precision by walking thresholds from high to low, ties together.
        var roc = new List<(double, double)> { (0, 0) };
        double tp = 0, fp = 0, auc = 0, averagePrecision = 0, prevFpr = 0, prevTpr = 0;
        for (var i = 0; i < sorted.Count;)
        {
            var threshold = sorted[i].Probability;
            double tpStep = 0, fpStep = 0;
            for (; i < sorted.Count && sorted[i].Probability == threshold; i++)
            {
                if (sorted[i].Label)
                {
                    tpStep++;
                }
                else
                {
                    fpStep++;
                }
            }

            tp += tpStep;
            fp += fpStep;
            var tpr = positives == 0 ? 0 : tp / positives;
            var fpr = negatives == 0 ? 0 : fp / negatives;
            auc += (fpr - prevFpr) * (tpr + prevTpr) / 2;
            averagePrecision += (tpr - prevTpr) * (tp / (tp + fp));
            roc.Add((fpr, tpr));
            (prevFpr, prevTpr) = (fpr, tpr);
        }

        var logLoss = -predictions.Average(p =>
        {
            var q = Math.Clamp(p.Probability, 1e-15, 1 - 1e-15);
            return p.Label ? Math.Log(q) : Math.Log(1 - q);
        });

        var calibration = predictions
            .GroupBy(p => Math.Min(9, (int)(p.Probability * 10)))
            .Sum(bin => bin.Count() * Math.Abs(bin.Average(p => p.Probability) - bin.Average(p => p.Label ? 1.0 : 0.0))) / predictions.Count;

        return new BinaryEvaluation(auc, averagePrecision, logLoss, calibration, (double)positives / predictions.Count, Thin(roc, 50));
    }

    /// <summary>The metrics as a manifest's metric map.</summary>
    public Dictionary<string, double> ToMetrics() => new()
    {
        ["auc"] = Math.Round(Auc, 4),
        ["pr_auc"] = Math.Round(PrAuc, 4),
        ["log_loss"] = Math.Round(LogLoss, 4),
        ["calibration_error"] = Math.Round(CalibrationError, 4),
        ["positive_rate"] = Math.Round(PositiveRate, 4),
    };

    private static List<(double, double)> Thin(List<(double, double)> points, int max)
    {
        if (points.Count <= max)
        {
            return points;
        }

        var step = (points.Count - 1) / (double)(max - 1);
        return [.. Enumerable.Range(0, max).Select(i => points[(int)Math.Round(i * step)])];
    }
}
