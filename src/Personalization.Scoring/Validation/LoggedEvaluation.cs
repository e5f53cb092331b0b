using System.Text;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Features;
using Personalization.Decisioning.Learning;
using Personalization.Decisioning.Offers;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;

namespace Personalization.Scoring.Validation;

/// <summary>
/// A model measured against the decision log rather than its own hold-out: offline policy evaluation
/// examples (each logged slate scored by the candidate on the features logged at decision time) and
/// per-feature drift of live decision-time values against the bundle's <c>holdout.csv</c>.
/// </summary>
public static class LoggedEvaluation
{
    /// <summary>
    /// The offline examples of <paramref name="content"/>'s decisions since <paramref name="since"/>: every
    /// slate whose first action has a propensity and whose candidates are all in the catalog, scored by
    /// <paramref name="model"/>, rewarded 1 when the logged action was accepted within <paramref name="window"/>.
    /// </summary>
    public static List<OfflineExample> Examples(LoadedModel model, DecisionLogContent content, IReadOnlyDictionary<string, Offer> offers, DateTime since, TimeSpan window)
    {
        var features = model.Bundle.Manifest.Features;
        var outcomes = PointInTimeRows.Outcomes(content);
        var examples = new List<OfflineExample>();
        var values = new string[features.Count];
        foreach (var decision in content.Decisions.Where(d => d.DecidedAt >= since))
        {
            foreach (var slate in decision.Slates)
            {
                var logged = slate.Chosen is { } chosen ? IndexOf(slate, chosen) : -1;
                if (logged < 0 || slate.Propensity <= 0 || slate.Candidates.Any(c => !offers.ContainsKey(c.OfferId)))
                {
                    continue;
                }

                var scores = new double[slate.Candidates.Count];
                for (var i = 0; i < scores.Length; i++)
                {
                    var offer = offers[slate.Candidates[i].OfferId];
                    for (var f = 0; f < features.Count; f++)
                    {
                        values[f] = PointInTimeRows.Value(decision, features[f], offer, decision.DecidedAt);
                    }

                    scores[i] = model.Score(FeatureVectors.FromValues(features, values, 0));
                }

                var (_, accepted) = PointInTimeRows.Joined(outcomes, decision, slate.Chosen!, window);
                examples.Add(new OfflineExample(scores, [.. slate.Candidates.Select(c => c.Multiplier)], logged, slate.Propensity, accepted ? 1 : 0));
            }
        }

        return examples;
    }

    /// <summary>
    /// Per feature of the bundle that the decisions logged: its PSI between the bundle's hold-out
    /// column and the logged values, with the row counts. Features never logged (offer attributes,
    /// features not configured) are left out; none without a hold-out.
    /// </summary>
    public static List<(string Feature, double Psi, long Live, long Reference)> Drift(ModelBundle bundle, DecisionLogContent content)
    {
        var drift = new List<(string, double, long, long)>();
        if (bundle.Holdout is null)
        {
            return drift;
        }

        using var reader = new StringReader(Encoding.UTF8.GetString(bundle.Holdout));
        var rows = CsvRecords.Read(reader).Select(r => r.Fields).ToList();
        if (rows.Count < 2)
        {
            return drift;
        }

        var header = rows[0];
        foreach (var feature in bundle.Manifest.Features)
        {
            var column = Array.IndexOf(header, feature.Name);
            var live = content.Decisions.Select(d => d.Feature(feature.Name)).Where(v => v is not null).Select(v => v!).ToList();
            if (column < 0 || live.Count == 0)
            {
                continue;
            }

            var reference = rows.Skip(1).Where(r => r.Length > column).Select(r => r[column]).ToList();
            drift.Add((feature.Name, PopulationStability.Of(reference, live, feature.Type != FeatureType.String), live.Count, reference.Count));
        }

        return drift;
    }

    /// <summary>The model's customer features that none of the decisions logged (so it cannot be evaluated on them).</summary>
    public static IReadOnlyList<string> Unlogged(LoadedModel model, DecisionLogContent content) =>
        PointInTimeRows.Unlogged(model.Bundle.Manifest.Features, content.Decisions);

    private static int IndexOf(DecisionSlate slate, string offerId)
    {
        for (var i = 0; i < slate.Candidates.Count; i++)
        {
            if (slate.Candidates[i].OfferId == offerId)
            {
                return i;
            }
        }

        return -1;
    }
}
