using System.Globalization;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Features;

/// <summary>
/// Training rows a data scientist can open: the features a model reads, by name, built exactly as
/// scoring builds them, plus the label. Pure.
/// </summary>
public static class TrainingRows
{
    /// <summary>The churn header: id, the features, and <c>churned</c>: 1 or 0 from the customer's <c>churn</c> trait (as the telco data carries it), empty when unknown.</summary>
    public static IEnumerable<string> ChurnHeader(IReadOnlyList<FeatureSpec> features) => ["customer_id", .. features.Select(f => f.Name), "churned"];

    /// <summary>One customer's churn row at <paramref name="now"/>.</summary>
    public static IEnumerable<string> Churn(string customerId, CustomerState state, IReadOnlyList<FeatureSpec> features, DateTime now) =>
        [customerId, .. features.Select(f => Value(state, f, now, null)), Churned(state)];

    private static string Churned(CustomerState state) =>
        !state.Traits.TryGetValue("churn", out var churn) ? ""
        : churn.Value.AsNumber() is { } number ? (number > 0 ? "1" : "0")
        : churn.Value.ToString().ToLowerInvariant() switch { "yes" or "true" => "1", "no" or "false" => "0", _ => "" };

    /// <summary>The offer header: the decision, the features, the outcome and <c>accepted</c> (clicked or converted).</summary>
    public static IEnumerable<string> OfferHeader(IReadOnlyList<FeatureSpec> features) =>
        ["customer_id", "decision_id", "offer_id", "decided_at", "channel", "arm", "offer_model_version", .. features.Select(f => f.Name), "outcome", "accepted"];

    /// <summary>
    /// One row per decision of the customer since <paramref name="since"/> whose offer is known. The
    /// features are built from the customer's state now (the state at decision time is not kept).
    /// </summary>
    public static IEnumerable<IEnumerable<string>> Offers(string customerId, CustomerState state, IReadOnlyList<FeatureSpec> features, IReadOnlyDictionary<string, Offer> offers, DateTime? since, DateTime now)
    {
        foreach (var decision in state.Decisions.Where(d => since is null || d.DecidedAt >= since))
        {
            if (!offers.TryGetValue(decision.OfferId, out var offer))
            {
                continue;
            }

            var accepted = decision.Has(Outcome.Clicked) || decision.Has(Outcome.Converted);
            yield return [customerId, decision.DecisionId, decision.OfferId, decision.DecidedAt.ToString("O", CultureInfo.InvariantCulture),
                TraitParsing.SnakeCase(decision.Channel.ToString()), decision.Arm, decision.OfferModelVersion ?? "",
                .. features.Select(f => Value(state, f, now, offer)),
                decision.Latest == Outcome.Unspecified ? "" : TraitParsing.SnakeCase(decision.Latest.ToString()), accepted ? "1" : "0"];
        }
    }

    /// <summary>The features' values as the export writes them (numbers round-trip, empty when missing).</summary>
    public static IEnumerable<string> Values(CustomerState state, IReadOnlyList<FeatureSpec> features, DateTime now, Offer? offer) =>
        features.Select(f => Value(state, f, now, offer));

    private static string Value(CustomerState state, FeatureSpec feature, DateTime now, Offer? offer)
    {
        if (feature.Type == FeatureType.String)
        {
            return CustomerFeatures.Text(state, feature.Name, offer);
        }

        var number = CustomerFeatures.Number(state, feature.Name, now, offer);
        return float.IsNaN(number) ? "" : number.ToString("R", CultureInfo.InvariantCulture);
    }
}
