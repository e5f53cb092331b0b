using Personalization.Decisioning.Offers;
using Personalization.Scoring.Bundles;

namespace Personalization.Scoring.Training;

/// <summary>The two shipped models, trained from the data sets in <c>models/data/</c>.</summary>
public static class ModelTraining
{
    /// <summary>The default seed; the same seed and data give the same model.</summary>
    public const int DefaultSeed = 42;

    /// <summary>Churn: logistic regression on the telco traits; hold-out metrics in the manifest.</summary>
    public static TrainedModel TrainChurn(string telcoCsv, int seed = DefaultSeed, IProgress<string>? progress = null)
    {
        progress?.Report($"reading {Path.GetFileName(telcoCsv)}");
        using var reader = new StreamReader(telcoCsv);
        var rows = ChurnData.Read(reader);
        return ModelTrainer.Train(ModelKind.Churn, ChurnData.Features, rows, ModelTrainer.Learner.LogisticRegression, seed,
            OfferSimulation.ReferenceDate, $"IBM Telco Customer Churn ({rows.Count} customers, {rows.Count(r => r.Label)} churned); 80/20 split by customer", progress: progress);
    }

    /// <summary>
    /// Next best offer: boosted trees on simulated showings of the real portfolio to the real
    /// profiles; besides AUC, the manifest reports the true expected acceptance of the model's top
    /// offer on hold-out customers against a random offer and the best single offer.
    /// </summary>
    public static TrainedModel TrainOffer(string portfolioJson, string profilesJson, int seed = DefaultSeed, IProgress<string>? progress = null)
    {
        progress?.Report($"reading {Path.GetFileName(portfolioJson)} and {Path.GetFileName(profilesJson)}");
        var offers = PortfolioOffers.Parse(File.ReadLines(portfolioJson));
        var customers = OfferSimulation.ReadProfiles(File.ReadLines(profilesJson));
        progress?.Report($"simulating {customers.Count * OfferSimulation.OffersPerCustomer} showings (seed {seed})");
        var rows = OfferSimulation.Simulate(customers, offers, seed);
        var trained = ModelTrainer.Train(ModelKind.Offer, OfferSimulation.Features, rows, ModelTrainer.Learner.FastTree, seed,
            OfferSimulation.ReferenceDate, $"Starbucks rewards portfolio ({offers.Count} offers) × profiles ({customers.Count}); responses simulated by OfferSimulation (seed {seed}), {OfferSimulation.OffersPerCustomer} showings each; 80/20 split by customer", progress: progress);

        progress?.Report("scoring the policy against the simulated truth");
        var holdOut = ModelTrainer.Split(rows, 0.2, seed).Test.Select(r => r.Customer).Distinct().ToList();
        var model = Scoring.LoadedModel.Load(new Microsoft.ML.MLContext(seed), trained.Bundle);
        var (top, random, best, oracle) = OfferSimulation.PolicyValue(holdOut, offers, (c, o) => model.Score(c, OfferSimulation.ReferenceDate, o));
        var metrics = new Dictionary<string, double>(trained.Bundle.Manifest.Metrics)
        {
            ["top_offer_acceptance"] = Math.Round(top, 4),
            ["random_offer_acceptance"] = Math.Round(random, 4),
            ["best_single_offer_acceptance"] = Math.Round(best, 4),
            ["oracle_acceptance"] = Math.Round(oracle, 4),
        };
        var bundle = trained.Bundle with { Manifest = trained.Bundle.Manifest with { Metrics = metrics } };
        return trained with { Bundle = bundle };
    }
}
