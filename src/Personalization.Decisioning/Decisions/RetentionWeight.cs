using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Decisions;

/// <summary>
/// A retention offer's arbitration weight: its business weight, boosted by the churn risk
/// (1 + <see cref="DecisionPolicy.RetentionBoost"/> × churn) and, when a clv model has scored the
/// customer, scaled by what keeping the customer is worth: clv ÷ <see cref="DecisionPolicy.ClvReference"/>,
/// held within [1 ÷ <see cref="DecisionPolicy.MaxClvScale"/>, <see cref="DecisionPolicy.MaxClvScale"/>].
/// Pure.
/// </summary>
public static class RetentionWeight
{
    /// <summary>The open model kind whose score scales retention offers.</summary>
    public const string ClvKind = "clv";

    /// <summary>The customer's clv scale (1 without a clv score, or with <see cref="DecisionPolicy.ClvReference"/> 0).</summary>
    public static double ClvScale(IReadOnlyList<KindScore> scores, DecisionPolicy policy)
    {
        if (policy.ClvReference <= 0 || KindScore.Of(scores, ClvKind) is not { } clv || double.IsNaN(clv))
        {
            return 1;
        }

        return Math.Clamp(Math.Max(clv, 0) / policy.ClvReference, 1 / policy.MaxClvScale, policy.MaxClvScale);
    }

    /// <summary>The weight of a retention offer of <paramref name="businessWeight"/> for a customer at <paramref name="churn"/> risk with this clv scale.</summary>
    public static double Of(double businessWeight, double churn, double clvScale, DecisionPolicy policy) =>
        businessWeight * (1 + (policy.RetentionBoost * churn)) * clvScale;
}
