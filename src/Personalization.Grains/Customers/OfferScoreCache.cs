using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Offers;

namespace Personalization.Grains.Customers;

/// <summary>
/// A customer activation's offer-model scores, kept until they go stale on the same terms as the
/// cached churn score (<see cref="ScoreEntry.IsCurrent"/>: another model version, a few events, a
/// day) or the offer itself changes (its <see cref="Offer.UpdatedAt"/>). Derived data: it lives in
/// the activation, not in the state, so it costs no storage and a new activation simply rescores.
/// </summary>
public sealed class OfferScoreCache
{
    private readonly Dictionary<string, (DateTime UpdatedAt, float Score)> _scores = new(StringComparer.Ordinal);
    private ScoreEntry? _basis;

    /// <summary>Offers scored and not yet stale.</summary>
    public int Count => _scores.Count;

    /// <summary>
    /// Fills <paramref name="scores"/> for <paramref name="offers"/> from the cache where it still
    /// stands and returns the indexes still to score (an empty list when every score was cached).
    /// </summary>
    public List<int> Lookup(CustomerState state, string modelVersion, DateTime now, IReadOnlyList<Offer> offers, float[] scores)
    {
        if (_basis is not { } basis || !basis.IsCurrent(state, modelVersion, now))
        {
            _scores.Clear();
            _basis = new ScoreEntry(0, modelVersion, now, state.EventCount);
        }

        var missing = new List<int>();
        for (var i = 0; i < offers.Count; i++)
        {
            if (_scores.TryGetValue(offers[i].OfferId, out var cached) && cached.UpdatedAt == offers[i].UpdatedAt)
            {
                scores[i] = cached.Score;
            }
            else
            {
                missing.Add(i);
            }
        }

        return missing;
    }

    /// <summary>Keeps a freshly computed score.</summary>
    public void Store(Offer offer, float score) => _scores[offer.OfferId] = (offer.UpdatedAt, score);
}
