namespace Personalization.Decisioning.Learning;

/// <summary>
/// A decision as the decision log keeps it, for training and offline evaluation: who, when, the arm
/// and model versions, the churn score, the customer's features as they were at that moment (names in
/// <see cref="FeatureNames"/>, values written as <c>data export</c> writes them) and each placement's slate.
/// </summary>
public sealed record LoggedDecision(
    string CustomerId,
    string DecisionId,
    DateTime DecidedAt,
    string Arm,
    string OfferModelVersion,
    string ChurnModelVersion,
    double Churn,
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<string> FeatureValues,
    IReadOnlyList<DecisionSlate> Slates)
{
    /// <summary>The logged value of a feature; null when it was not logged.</summary>
    public string? Feature(string name)
    {
        for (var i = 0; i < FeatureNames.Count; i++)
        {
            if (FeatureNames[i] == name)
            {
                return FeatureValues[i];
            }
        }

        return null;
    }
}
