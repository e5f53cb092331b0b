using Microsoft.ML;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Offers;
using Personalization.Scoring.Bundles;

namespace Personalization.Scoring.Scoring;

/// <summary>
/// The silo-local scoring service: holds the active model of each kind and swaps a new one in
/// atomically, after it has loaded and scored sample customers with finite probabilities. A call
/// in flight during a swap finishes on the model it started with.
/// </summary>
public sealed class ScoringService
{
    private readonly MLContext _ml = new(seed: 0);
    private LoadedModel? _churn;
    private LoadedModel? _offer;

    /// <summary>The active model of a kind, or null when none is loaded.</summary>
    public LoadedModel? Active(ModelKind kind) => kind == ModelKind.Churn ? Volatile.Read(ref _churn) : Volatile.Read(ref _offer);

    /// <summary>Validates a bundle and makes it the active model of its kind; throws <see cref="InvalidModelBundleException"/> and keeps the old one otherwise.</summary>
    public LoadedModel Activate(ModelBundle bundle)
    {
        var model = LoadedModel.Load(_ml, bundle);
        Validate(model);
        if (bundle.Manifest.Kind == ModelKind.Churn)
        {
            Interlocked.Exchange(ref _churn, model);
        }
        else
        {
            Interlocked.Exchange(ref _offer, model);
        }

        return model;
    }

    /// <summary>Churn probability and the version that scored it; null when no churn model is active.</summary>
    public (float Probability, string Version)? ScoreChurn(CustomerState state, DateTime now) =>
        Active(ModelKind.Churn) is { } model ? (model.Score(state, now), model.Version) : null;

    /// <summary>Acceptance probability of each offer and the version that scored them; null when no offer model is active.</summary>
    public (float[] Probabilities, string Version)? ScoreOffers(CustomerState state, IReadOnlyList<Offer> offers, DateTime now)
    {
        if (Active(ModelKind.Offer) is not { } model)
        {
            return null;
        }

        var scores = new float[offers.Count];
        for (var i = 0; i < offers.Count; i++)
        {
            scores[i] = model.Score(state, now, offers[i]);
        }

        return (scores, model.Version);
    }

    private static void Validate(LoadedModel model)
    {
        var now = DateTime.UtcNow;
        var probe = new Offer { OfferId = "probe", Type = OfferType.Discount, Reward = 5, Difficulty = 10, DurationDays = 7, Channels = [Channel.Email] };
        foreach (var sample in SampleCustomers(now))
        {
            var p = model.Score(sample, now, model.Bundle.Manifest.Kind == ModelKind.Offer ? probe : null);
            if (!float.IsFinite(p) || p is < 0 or > 1)
            {
                throw new InvalidModelBundleException($"the model answers {p} for a sample customer; probabilities must be finite and within 0..1");
            }
        }
    }

    private static IEnumerable<CustomerState> SampleCustomers(DateTime now)
    {
        yield return new CustomerState();
        var busy = new CustomerState();
        busy.Traits["tenure"] = new TraitEntry(TraitValue.Of(24L), now);
        busy.Traits["age"] = new TraitEntry(TraitValue.Of(40L), now);
        busy.Traits["income"] = new TraitEntry(TraitValue.Of(60000L), now);
        busy.Traits["contract"] = new TraitEntry(TraitValue.Of("Month-to-month"), now);
        busy.Behaviour.Purchases = 3;
        busy.Behaviour.Revenue = 120;
        yield return busy;
    }
}
