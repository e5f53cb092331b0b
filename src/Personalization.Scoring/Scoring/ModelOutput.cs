namespace Personalization.Scoring.Scoring;

/// <summary>What a binary classifier answers.</summary>
public sealed class ModelOutput
{
    /// <summary>Calibrated probability of the positive class.</summary>
    public float Probability { get; set; }

    /// <summary>Raw score.</summary>
    public float Score { get; set; }
}
