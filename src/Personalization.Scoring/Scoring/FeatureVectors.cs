using System.Globalization;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Features;
using Personalization.Decisioning.Offers;

namespace Personalization.Scoring.Scoring;

/// <summary>Builds a model's input from a customer (and an offer) by feature name; training and serving use it alike.</summary>
public static class FeatureVectors
{
    /// <summary>The input for <paramref name="features"/>, read from <paramref name="state"/> at <paramref name="now"/> (and a request's context).</summary>
    public static ModelInput Build(IReadOnlyList<FeatureSpec> features, CustomerState state, DateTime now, Offer? offer = null, bool label = false, PlacementContext? context = null)
    {
        var numeric = new float[Math.Max(1, features.Count(f => f.Type != FeatureType.String))];
        var categorical = new string[Math.Max(1, features.Count(f => f.Type == FeatureType.String))];
        categorical[0] = "";
        int n = 0, c = 0;
        foreach (var feature in features)
        {
            if (feature.Type == FeatureType.String)
            {
                categorical[c++] = CustomerFeatures.Text(state, feature.Name, offer, context);
            }
            else
            {
                numeric[n++] = CustomerFeatures.Number(state, feature.Name, now, offer, context);
            }
        }

        return new ModelInput { Numeric = numeric, Categorical = categorical, Label = label };
    }

    /// <summary>
    /// The input for feature values written as <c>data export</c> writes them (numbers, 1/0 or
    /// true/false for booleans, empty for missing); throws <see cref="Bundles.InvalidModelBundleException"/> naming the line and feature.
    /// </summary>
    public static ModelInput FromValues(IReadOnlyList<FeatureSpec> features, IReadOnlyList<string> values, int line)
    {
        var numeric = new float[Math.Max(1, features.Count(f => f.Type != FeatureType.String))];
        var categorical = new string[Math.Max(1, features.Count(f => f.Type == FeatureType.String))];
        categorical[0] = "";
        int n = 0, c = 0;
        for (var i = 0; i < features.Count; i++)
        {
            if (features[i].Type == FeatureType.String)
            {
                categorical[c++] = values[i];
            }
            else
            {
                numeric[n++] = values[i] switch
                {
                    "" => float.NaN,
                    "true" or "True" => 1,
                    "false" or "False" => 0,
                    var text when float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
                    var text => throw new Bundles.InvalidModelBundleException($"line {line}: feature '{features[i].Name}' is a number, got '{text}'"),
                };
            }
        }

        return new ModelInput { Numeric = numeric, Categorical = categorical };
    }
}
