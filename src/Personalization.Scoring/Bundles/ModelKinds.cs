namespace Personalization.Scoring.Bundles;

/// <summary>What each kind of model answers.</summary>
public static class ModelKinds
{
    /// <summary>The output a kind's models must declare: churn and offer answer probabilities; other kinds declare their own (null).</summary>
    public static ModelOutputKind? RequiredOutput(ModelKind kind) => kind == ModelKind.Churn || kind == ModelKind.Offer ? ModelOutputKind.Probability : null;
}
