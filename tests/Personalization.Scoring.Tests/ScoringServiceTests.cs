using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Offers;
using Personalization.Scoring.Scoring;
using Personalization.Scoring.Training;

namespace Personalization.Scoring.Tests;

[Collection(TrainedModelsCollection.Name)]
public sealed class ScoringServiceTests(TrainedModels models)
{
    private static readonly DateTime Now = OfferSimulation.ReferenceDate;

    private static CustomerState Telco(string contract, long tenure, double monthly)
    {
        var state = new CustomerState();
        state.Traits["contract"] = new TraitEntry(TraitValue.Of(contract), Now);
        state.Traits["tenure"] = new TraitEntry(TraitValue.Of(tenure), Now);
        state.Traits["monthly_charges"] = new TraitEntry(TraitValue.Of(monthly), Now);
        state.Traits["internet_service"] = new TraitEntry(TraitValue.Of("Fiber optic"), Now);
        state.Traits["payment_method"] = new TraitEntry(TraitValue.Of("Electronic check"), Now);
        return state;
    }

    [Fact]
    public void NoModelMeansNoScore()
    {
        Assert.Null(new ScoringService().ScoreChurn(new CustomerState(), Now));
    }

    [Fact]
    public void ChurnScoresFollowTheKnownRiskFactors()
    {
        var scoring = new ScoringService();
        scoring.Activate(models.Churn.Bundle);

        var risky = scoring.ScoreChurn(Telco("Month-to-month", 2, 95), Now)!.Value;
        var loyal = scoring.ScoreChurn(Telco("Two year", 60, 95), Now)!.Value;

        Assert.True(risky.Probability > 0.5, $"risky {risky.Probability}");
        Assert.True(loyal.Probability < 0.2, $"loyal {loyal.Probability}");
        Assert.Equal(models.Churn.Bundle.Manifest.Version, risky.Version);
    }

    [Fact]
    public void OfferScoresComeForEveryOfferWithTheVersion()
    {
        var scoring = new ScoringService();
        scoring.Activate(models.Offer.Bundle);
        var offers = PortfolioOffers.Parse(File.ReadLines(TrainedModels.Portfolio));

        var (probabilities, version) = scoring.ScoreOffers(Telco("Two year", 10, 50), offers, Now)!.Value;

        Assert.Equal(10, probabilities.Length);
        Assert.All(probabilities, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(models.Offer.Bundle.Manifest.Version, version);
    }

    [Fact]
    public async Task SwappingTheModelUnderConcurrentScoringFailsNoCallAndChangesTheScores()
    {
        var scoring = new ScoringService();
        var first = models.Churn.Bundle;
        var second = ModelTraining.TrainChurn(TrainedModels.TelcoCsv, seed: 7).Bundle;
        scoring.Activate(first);
        var customer = Telco("Month-to-month", 5, 80);
        var before = scoring.ScoreChurn(customer, Now)!.Value;
        var failures = 0;
        var scored = 0;
        using var stop = new CancellationTokenSource();

        var scorers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var score = scoring.ScoreChurn(customer, Now)!.Value;
                    Assert.True(float.IsFinite(score.Probability));
                    Interlocked.Increment(ref scored);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();
        for (var i = 0; i < 20; i++)
        {
            scoring.Activate(i % 2 == 0 ? second : first);
        }

        scoring.Activate(second);
        await Task.Delay(50);
        await stop.CancelAsync();
        await Task.WhenAll(scorers);
        var after = scoring.ScoreChurn(customer, Now)!.Value;

        Assert.Equal(0, failures);
        Assert.True(scored > 100, $"only {scored} scores");
        Assert.Equal(second.Manifest.Version, after.Version);
        Assert.NotEqual(before.Version, after.Version);
        Assert.NotEqual(before.Probability, after.Probability);
    }

    [Fact]
    public void TheChallengerArmIsStablePerCustomerAndWithinItsShare()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"customer-{i:D6}").ToList();

        var churnArm = ids.Count(id => ScoringService.InChallengerArm(Bundles.ModelKind.Churn, id, 0.1));
        var offerArm = ids.Where(id => ScoringService.InChallengerArm(Bundles.ModelKind.Offer, id, 0.1)).ToHashSet();

        Assert.InRange(churnArm, 1_800, 2_200);
        Assert.InRange(offerArm.Count, 1_800, 2_200);
        Assert.True(ids.All(id => ScoringService.InChallengerArm(Bundles.ModelKind.Churn, id, 0.1) == ScoringService.InChallengerArm(Bundles.ModelKind.Churn, id, 0.1)));
        Assert.InRange(ids.Count(id => offerArm.Contains(id) && ScoringService.InChallengerArm(Bundles.ModelKind.Churn, id, 0.1)), 100, 300); // independent per kind
        Assert.DoesNotContain(ids, id => ScoringService.InChallengerArm(Bundles.ModelKind.Churn, id, 0));
    }

    [Fact]
    public void AChallengerScoresOnlyItsShareOfCustomers()
    {
        var scoring = new ScoringService();
        var champion = scoring.Activate(models.Churn.Bundle);
        var challenger = scoring.Load(models.Churn.Bundle with { Manifest = models.Churn.Bundle.Manifest with { Version = "challenger" } });
        scoring.SetChallenger(Bundles.ModelKind.Churn, challenger, 0.25);

        var served = Enumerable.Range(0, 4_000).Select(i => scoring.For(Bundles.ModelKind.Churn, $"c-{i}")!.Version).ToList();
        scoring.SetChallenger(Bundles.ModelKind.Churn, null, 0);

        Assert.InRange(served.Count(v => v == "challenger"), 880, 1_120);
        Assert.Equal(champion.Version, scoring.For(Bundles.ModelKind.Churn, "c-1")!.Version);
    }
}
