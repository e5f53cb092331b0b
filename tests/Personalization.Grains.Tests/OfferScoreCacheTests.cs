using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Offers;
using Personalization.Grains.Customers;

namespace Personalization.Grains.Tests;

public class OfferScoreCacheTests
{
    private static readonly DateTime Now = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);

    private static Offer NewOffer(string id, DateTime updatedAt) => new() { OfferId = id, UpdatedAt = updatedAt };

    private static List<int> Fill(OfferScoreCache cache, CustomerState state, string version, DateTime now, Offer[] offers)
    {
        var scores = new float[offers.Length];
        var missing = cache.Lookup(state, version, now, offers, scores);
        foreach (var i in missing)
        {
            cache.Store(offers[i], 0.1f * (i + 1));
        }

        return missing;
    }

    [Fact]
    public void Scores_are_reused_until_an_offer_changes()
    {
        var cache = new OfferScoreCache();
        var state = new CustomerState { EventCount = 3 };
        Offer[] offers = [NewOffer("a", Now), NewOffer("b", Now)];
        Assert.Equal([0, 1], Fill(cache, state, "v1", Now, offers));

        var scores = new float[2];
        Assert.Empty(cache.Lookup(state, "v1", Now.AddMinutes(1), offers, scores));
        Assert.Equal([0.1f, 0.2f], scores);

        Offer[] edited = [offers[0], NewOffer("b", Now.AddSeconds(1))];
        Assert.Equal([1], cache.Lookup(state, "v1", Now.AddMinutes(2), edited, new float[2]));
    }

    [Fact]
    public void A_new_model_version_enough_events_or_a_day_rescore_everything()
    {
        Offer[] offers = [NewOffer("a", Now), NewOffer("b", Now)];
        var state = new CustomerState { EventCount = 3 };

        var cache = new OfferScoreCache();
        Fill(cache, state, "v1", Now, offers);
        Assert.Equal(2, cache.Lookup(state, "v2", Now, offers, new float[2]).Count);

        cache = new OfferScoreCache();
        Fill(cache, state, "v1", Now, offers);
        state.EventCount += ScoreEntry.RescoreAfterEvents - 1;
        Assert.Empty(cache.Lookup(state, "v1", Now, offers, new float[2]));
        state.EventCount++;
        Assert.Equal(2, cache.Lookup(state, "v1", Now, offers, new float[2]).Count);

        cache = new OfferScoreCache();
        Fill(cache, state, "v1", Now, offers);
        Assert.Equal(2, cache.Lookup(state, "v1", Now + ScoreEntry.RescoreAfter, offers, new float[2]).Count);
    }

    [Fact]
    public void A_narrower_or_reordered_offer_list_finds_the_same_scores()
    {
        var cache = new OfferScoreCache();
        var state = new CustomerState { EventCount = 3 };
        Offer[] offers = [NewOffer("a", Now), NewOffer("b", Now), NewOffer("c", Now)];
        Fill(cache, state, "v1", Now, offers);

        var scores = new float[2];
        Assert.Empty(cache.Lookup(state, "v1", Now, [offers[2], offers[0]], scores));
        Assert.Equal([0.3f, 0.1f], scores);

        Offer[] more = [.. offers, NewOffer("d", Now)];
        Assert.Equal([3], Fill(cache, state, "v1", Now, more));
        Assert.Equal(4, cache.Count);
        scores = new float[4];
        Assert.Empty(cache.Lookup(state, "v1", Now, more, scores));
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f], scores);
    }
}
