using System.Globalization;
using Personalization.Scoring.Bundles;

namespace Personalization.Scoring.Validation;

/// <summary>
/// Whether a candidate may replace the active model, from figures the service measured itself:
/// a probability model may lose at most <c>maxAucDrop</c> of ROC AUC and <c>maxCalibrationRise</c>
/// of calibration error; a value model may raise its RMSE by at most <c>maxRmseRise</c> (relative).
/// Pure.
/// </summary>
public static class ActivationCheck
{
    /// <summary>The refusal, with both sets of figures, or null when the candidate may serve.</summary>
    public static string? Problem(
        ModelOutputKind output,
        IReadOnlyDictionary<string, double> candidate,
        IReadOnlyDictionary<string, double>? active,
        string activeVersion,
        string where,
        double maxAucDrop,
        double maxCalibrationRise,
        double maxRmseRise)
    {
        if (active is null)
        {
            return null;
        }

        if (output == ModelOutputKind.Probability)
        {
            var (auc, activeAuc) = (candidate["auc"], active["auc"]);
            if (auc < activeAuc - maxAucDrop - 1e-12)
            {
                return F($"measured AUC {auc:0.0000} is more than {maxAucDrop:0.####} below the active {activeVersion}'s {activeAuc:0.0000} ({where})");
            }

            var (calibration, activeCalibration) = (candidate["calibration_error"], active["calibration_error"]);
            if (calibration > activeCalibration + maxCalibrationRise + 1e-12)
            {
                return F($"measured calibration error {calibration:0.0000} is more than {maxCalibrationRise:0.####} above the active {activeVersion}'s {activeCalibration:0.0000} ({where})");
            }

            return null;
        }

        var (rmse, activeRmse) = (candidate["rmse"], active["rmse"]);
        return rmse > activeRmse * (1 + maxRmseRise) + 1e-12
            ? F($"measured RMSE {rmse:0.####} is more than {maxRmseRise:0.##%} above the active {activeVersion}'s {activeRmse:0.####} ({where})")
            : null;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
