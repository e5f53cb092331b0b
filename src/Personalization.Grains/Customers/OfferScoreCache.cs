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
    // One small array rather than a dictionary (this lives in every active customer): entries in the
    // order offers were first scored, so the usual lookup finds offer i at position i.
    private Entry[] _entries = [];
    private int _count;
    private ScoreEntry? _basis;

    /// <summary>Offers scored and not yet stale.</summary>
    public int Count => _count;

    /// <summary>
    /// Fills <paramref name="scores"/> for <paramref name="offers"/> from the cache where it still
    /// stands and returns the indexes still to score (an empty list when every score was cached).
    /// </summary>
    public List<int> Lookup(CustomerState state, string modelVersion, DateTime now, IReadOnlyList<Offer> offers, float[] scores)
    {
        if (_basis is not { } basis || !basis.IsCurrent(state, modelVersion, now))
        {
            _count = 0;
            _basis = new ScoreEntry(0, modelVersion, now, state.EventCount);
        }

        var missing = new List<int>();
        for (var i = 0; i < offers.Count; i++)
        {
            var at = Find(offers[i].OfferId, i);
            if (at >= 0 && _entries[at].UpdatedAt == offers[i].UpdatedAt)
            {
                scores[i] = _entries[at].Score;
            }
            else
            {
                missing.Add(i);
            }
        }

        return missing;
    }

    /// <summary>Keeps a freshly computed score.</summary>
    public void Store(Offer offer, float score)
    {
        var at = Find(offer.OfferId, _count);
        if (at < 0)
        {
            if (_count == _entries.Length)
            {
                Array.Resize(ref _entries, Math.Max(4, _count * 2));
            }

            at = _count++;
        }

        _entries[at] = new Entry(offer.OfferId, offer.UpdatedAt, score);
    }

    // The entry of an offer: first where it usually is, then anywhere.
    private int Find(string offerId, int likely)
    {
        if (likely < _count && string.Equals(_entries[likely].OfferId, offerId, StringComparison.Ordinal))
        {
            return likely;
        }

        for (var i = 0; i < _count; i++)
        {
            if (string.Equals(_entries[i].OfferId, offerId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private readonly record struct Entry(string OfferId, DateTime UpdatedAt, float Score);
}
