namespace Personalization.Scoring.Bundles;

/// <summary>What a model predicts.</summary>
public enum ModelKind
{
    /// <summary>Probability a customer churns.</summary>
    Churn = 1,

    /// <summary>Probability a customer accepts an offer.</summary>
    Offer = 2,
}
