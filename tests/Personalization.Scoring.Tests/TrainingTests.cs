using Personalization.Decisioning.Customers;
using Personalization.Scoring.Training;

namespace Personalization.Scoring.Tests;

[Collection(TrainedModelsCollection.Name)]
public sealed class TrainingTests(TrainedModels models)
{
    [Fact]
    public void TheChurnModelReachesThePublishedAucOnTheHoldOut()
    {
        var metrics = models.Churn.Bundle.Manifest.Metrics;

        Assert.True(metrics["auc"] >= 0.83, $"churn AUC {metrics["auc"]}");
        Assert.InRange(metrics["positive_rate"], 0.2, 0.33);
        Assert.True(metrics["calibration_error"] < 0.06, $"calibration error {metrics["calibration_error"]}");
    }

    [Fact]
    public void TrainingIsReproducibleWithAFixedSeed()
    {
        var again = ModelTraining.TrainChurn(TrainedModels.TelcoCsv);

        Assert.Equal(models.Churn.Bundle.Manifest.Metrics, again.Bundle.Manifest.Metrics);
        Assert.Equal(models.Churn.Evaluation!.Roc, again.Evaluation!.Roc);
    }

    [Fact]
    public void ADifferentSeedGivesADifferentSplit()
    {
        var other = ModelTraining.TrainChurn(TrainedModels.TelcoCsv, seed: 7);

        Assert.NotEqual(models.Churn.Bundle.Manifest.Metrics["auc"], other.Bundle.Manifest.Metrics["auc"]);
    }

    [Fact]
    public void TheOfferModelBeatsRandomAndTheBestSingleOfferOnTheTruth()
    {
        var m = models.Offer.Bundle.Manifest.Metrics;

        Assert.True(m["auc"] >= 0.70, $"offer AUC {m["auc"]}");
        Assert.True(m["top_offer_acceptance"] >= 1.25 * m["random_offer_acceptance"], $"top {m["top_offer_acceptance"]} vs random {m["random_offer_acceptance"]}");
        Assert.True(m["top_offer_acceptance"] > m["best_single_offer_acceptance"], $"top {m["top_offer_acceptance"]} vs best single {m["best_single_offer_acceptance"]}");
        Assert.True(m["top_offer_acceptance"] <= m["oracle_acceptance"]);
    }

    [Fact]
    public void TheSimulationsTruthFollowsItsDocumentedEffects()
    {
        var rich = new CustomerState();
        rich.Traits["income"] = new TraitEntry(TraitValue.Of(110_000.0), DateTime.UnixEpoch);
        rich.Traits["age"] = new TraitEntry(TraitValue.Of(50L), DateTime.UnixEpoch);
        var poor = new CustomerState();
        poor.Traits["income"] = new TraitEntry(TraitValue.Of(30_000.0), DateTime.UnixEpoch);
        poor.Traits["age"] = new TraitEntry(TraitValue.Of(50L), DateTime.UnixEpoch);
        var discount = new Decisioning.Offers.Offer { OfferId = "d", Type = Decisioning.Offers.OfferType.Discount, Reward = 3, Difficulty = 7, DurationDays = 7, Channels = [Channel.Email] };

        Assert.True(OfferSimulation.TrueProbability(rich, discount) > OfferSimulation.TrueProbability(poor, discount));
    }
}
