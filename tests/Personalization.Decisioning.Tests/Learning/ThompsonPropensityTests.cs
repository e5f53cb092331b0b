using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Learning;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Learning;

public sealed class ThompsonPropensityTests
{
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private static ScoredOffer Scored(string id, double acceptance, long trials, long successes) =>
        new(new Offer { OfferId = id, Name = id, Type = OfferType.Discount, Value = 10, Channels = [Channel.Web] }, acceptance, trials, successes);

    [Fact]
    public void LoggedPropensitiesMatchHowOftenTheEngineRanksEachOfferFirst()
    {
        // Offers with different population results, so the Thompson draw favours some: 20,000 seeded decisions.
        var policy = new DecisionPolicy { HoldoutShare = 0, ExplorationShare = 0.3 };
        ScoredOffer[] offers = [Scored("a", 0.5, 40, 4), Scored("b", 0.4, 40, 12), Scored("c", 0.3, 10, 5), Scored("d", 0.2, 0, 0)];
        var request = new DecisionRequest(DecisionMode.Inbound, [Channel.Web], 1, []);
        var counts = new Dictionary<string, int>();
        DecisionSlate? slate = null;
        const int Decisions = 20_000;

        for (var n = 1; n <= Decisions; n++)
        {
            var result = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, request, policy, n, Now);
            slate = result.Slates![0];
            counts[slate.Chosen!] = counts.GetValueOrDefault(slate.Chosen!) + 1;
        }

        var expected = ThompsonPropensity.Of([.. offers.Select(o => (o.Trials, o.Successes))], 0, policy.ExplorationShare);
        Assert.Equal(["a", "b", "c", "d"], slate!.Candidates.Select(c => c.OfferId));
        for (var i = 0; i < offers.Length; i++)
        {
            // Binomial standard error at 20,000 draws is at most 0.0035: four of them.
            Assert.InRange(counts.GetValueOrDefault(offers[i].Offer.OfferId) / (double)Decisions, expected[i] - 0.014, expected[i] + 0.014);
        }

        Assert.Equal(1.0, expected.Sum(), 6);
    }

    [Fact]
    public void EachSlateCarriesThePropensityOfItsFirstAction()
    {
        var policy = new DecisionPolicy { HoldoutShare = 0, ExplorationShare = 0.1 };
        ScoredOffer[] offers = [Scored("a", 0.5, 0, 0), Scored("b", 0.4, 0, 0)];

        var slate = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, new DecisionRequest(DecisionMode.Inbound, [Channel.Web], 1, []), policy, 1, Now).Slates![0];

        // Equal population results: the draw is a coin, so the greedy offer is first with 0.9 + 0.1 / 2.
        Assert.Equal(slate.Chosen == "a" ? 0.95 : 0.05, slate.Propensity, 6);
        Assert.Equal([0.5 * 10, 0.4 * 10], slate.Candidates.Select(c => c.Acceptance * c.Multiplier));
    }

    [Fact]
    public void ALoneCandidateIsChosenWithCertainty()
    {
        Assert.Equal([1.0], ThompsonPropensity.Of([(10, 3)], 0, 0.5));
    }
}
