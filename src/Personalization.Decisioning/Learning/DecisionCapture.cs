using System.Globalization;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Features;

namespace Personalization.Decisioning.Learning;

/// <summary>
/// Turns a decision into the record the decision log keeps: the chosen customer features read from
/// the state at the decision's moment (with the request's context), written as <c>data export</c>
/// writes them, and the engine's slates. Pure.
/// </summary>
public static class DecisionCapture
{
    /// <summary>The logged record of a decision; null when it had no slate (holdout, global control).</summary>
    public static LoggedDecision? Of(
        string customerId,
        string decisionId,
        CustomerState state,
        DecisionResult result,
        IReadOnlyList<FeatureSpec> features,
        string? offerModelVersion,
        string? churnModelVersion,
        double churn,
        DateTime now,
        PlacementContext? context)
    {
        if (result.Slates is not { Count: > 0 } slates)
        {
            return null;
        }

        var values = new string[features.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Value(state, features[i], now, context);
        }

        return new LoggedDecision(customerId, decisionId, now, result.Arm, offerModelVersion ?? "", churnModelVersion ?? "", churn, [.. features.Select(f => f.Name)], values, slates);
    }

    /// <summary>The customer features worth logging: the offer model's own (without the offer's attributes, which the catalog keeps) and the extra ones configured.</summary>
    public static IReadOnlyList<FeatureSpec> Features(IReadOnlyList<FeatureSpec>? offerModel, IEnumerable<FeatureSpec> extra)
    {
        var chosen = new List<FeatureSpec>();
        foreach (var feature in (offerModel ?? []).Concat(extra))
        {
            if (!feature.Name.StartsWith("offer_", StringComparison.Ordinal) && !chosen.Any(f => f.Name == feature.Name))
            {
                chosen.Add(feature);
            }
        }

        return chosen;
    }

    /// <summary>Feature specs from settings: <c>name</c> is a number, <c>name:string</c> text, <c>name:bool</c> a flag.</summary>
    public static IReadOnlyList<FeatureSpec> Parse(IEnumerable<string> names) =>
        [.. names.Select(n => n.Split(':', 2) is [var name, var type]
            ? new FeatureSpec(name, type switch { "string" => FeatureType.String, "bool" => FeatureType.Bool, _ => FeatureType.Float })
            : new FeatureSpec(n, FeatureType.Float))];

    private static string Value(CustomerState state, FeatureSpec feature, DateTime now, PlacementContext? context)
    {
        if (feature.Type == FeatureType.String)
        {
            return CustomerFeatures.Text(state, feature.Name, null, context);
        }

        var number = CustomerFeatures.Number(state, feature.Name, now, null, context);
        return float.IsNaN(number) ? "" : number.ToString("R", CultureInfo.InvariantCulture);
    }
}
