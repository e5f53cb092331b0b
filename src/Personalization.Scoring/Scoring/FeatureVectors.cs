using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Features;
using Personalization.Decisioning.Offers;

namespace Personalization.Scoring.Scoring;

/// <summary>Builds a model's input from a customer (and an offer) by feature name; training and serving use it alike.</summary>
public static class FeatureVectors
{
    /// <summary>The input for <paramref name="features"/>, read from <paramref name="state"/> at <paramref name="now"/>.</summary>
    public static ModelInput Build(IReadOnlyList<FeatureSpec> features, CustomerState state, DateTime now, Offer? offer = null, bool label = false)
    {
        var numeric = new float[Math.Max(1, features.Count(f => f.Type != FeatureType.String))];
        var categorical = new string[Math.Max(1, features.Count(f => f.Type == FeatureType.String))];
        categorical[0] = "";
        int n = 0, c = 0;
        foreach (var feature in features)
        {
            if (feature.Type == FeatureType.String)
            {
                categorical[c++] = CustomerFeatures.Text(state, feature.Name, offer);
            }
            else
            {
                numeric[n++] = CustomerFeatures.Number(state, feature.Name, now, offer);
            }
        }

        return new ModelInput { Numeric = numeric, Categorical = categorical, Label = label };
    }
}
