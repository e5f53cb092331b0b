namespace Personalization.Scoring.Bundles;

/// <summary>What each kind of model answers.</summary>
public static class ModelKinds
{
    /// <summary>The output a kind's models must declare: churn and offer answer probabilities.</summary>
    public static ModelOutputKind OutputOf(ModelKind kind) => ModelOutputKind.Probability;
}
