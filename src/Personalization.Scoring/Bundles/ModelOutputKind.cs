namespace Personalization.Scoring.Bundles;

/// <summary>What a model answers.</summary>
public enum ModelOutputKind
{
    /// <summary>A probability in 0..1, measured by ROC AUC and calibration.</summary>
    Probability,

    /// <summary>A value (e.g. revenue), any finite number, measured by RMSE and MAE.</summary>
    Value,
}
