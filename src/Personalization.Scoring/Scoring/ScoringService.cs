using System.Collections.Concurrent;
using Microsoft.ML;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Offers;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Validation;

namespace Personalization.Scoring.Scoring;

/// <summary>
/// The silo-local scoring service: holds the active model of each kind and swaps a new one in
/// atomically, after it has loaded and scored sample customers with finite probabilities. A call
/// in flight during a swap finishes on the model it started with.
/// </summary>
public sealed class ScoringService
{
    private readonly MLContext _ml = new(seed: 0);
    private readonly ConcurrentDictionary<ModelKind, LoadedModel> _active = new();
    private readonly ConcurrentDictionary<ModelKind, Split> _splits = new();

    /// <summary>The active (champion) model of a kind, or null when none is loaded.</summary>
    public LoadedModel? Active(ModelKind kind) => _active.GetValueOrDefault(kind);

    /// <summary>The kinds with an active model.</summary>
    public IReadOnlyList<ModelKind> ActiveKinds => [.. _active.Keys.OrderBy(k => k.Name, StringComparer.Ordinal)];

    /// <summary>The challenger of a kind and the share of customers it scores, or null when there is no split.</summary>
    public Split? Challenger(ModelKind kind) => _splits.GetValueOrDefault(kind);

    /// <summary>
    /// The model that scores <paramref name="customerId"/>: the challenger for a stable share of
    /// customers (a hash of kind and id, the same on every silo), the champion otherwise.
    /// </summary>
    public LoadedModel? For(ModelKind kind, string? customerId) =>
        customerId is not null && Challenger(kind) is { } split && InChallengerArm(kind, customerId, split.Share) ? split.Model : Active(kind);

    /// <summary>Whether <paramref name="version"/> is the current challenger of a kind (a score it made puts the decision in the challenger arm).</summary>
    public bool IsChallenger(ModelKind kind, string? version) => version is not null && Challenger(kind)?.Model.Version == version;

    /// <summary>Whether a customer is in the challenger's share for a kind.</summary>
    public static bool InChallengerArm(ModelKind kind, string customerId, double share) =>
        share > 0 && EventIdHash.Unit($"model-split:{SplitKey(kind)}:{customerId}") < share;

    // Churn and offer keep the hash key they had as enum members ("Churn", "Offer"), so customers stay in their arm across the upgrade.
    private static string SplitKey(ModelKind kind) => kind == ModelKind.Churn ? "Churn" : kind == ModelKind.Offer ? "Offer" : kind.Name;

    /// <summary>Loads a bundle and scores sample customers; throws <see cref="InvalidModelBundleException"/> when it cannot serve. Changes nothing.</summary>
    public LoadedModel Load(ModelBundle bundle)
    {
        var model = LoadedModel.Load(_ml, bundle);
        Validate(model);
        return model;
    }

    /// <summary>Validates a bundle and makes it the active model of its kind; throws <see cref="InvalidModelBundleException"/> and keeps the old one otherwise.</summary>
    public LoadedModel Activate(ModelBundle bundle)
    {
        var model = Load(bundle);
        Activate(model);
        return model;
    }

    /// <summary>Makes a loaded model the champion of its kind (atomically: calls in flight finish on the model they started with).</summary>
    public void Activate(LoadedModel model) => _active[model.Bundle.Manifest.Kind] = model;

    /// <summary>Sets (or, with null, clears) the challenger of a kind and its share of customers.</summary>
    public void SetChallenger(ModelKind kind, LoadedModel? model, double share)
    {
        if (model is null || share <= 0)
        {
            _splits.TryRemove(kind, out _);
        }
        else
        {
            _splits[kind] = new Split(model, share);
        }
    }

    /// <summary>Churn probability and the version that scored it; null when no churn model is active.</summary>
    public (float Probability, string Version)? ScoreChurn(CustomerState state, DateTime now, string? customerId = null) =>
        For(ModelKind.Churn, customerId) is { } model ? (model.Score(state, now), model.Version) : null;

    /// <summary>Acceptance probability of each offer and the version that scored them; null when no offer model is active.</summary>
    public (float[] Probabilities, string Version)? ScoreOffers(CustomerState state, IReadOnlyList<Offer> offers, DateTime now, string? customerId = null, Decisioning.Decisions.PlacementContext? context = null)
    {
        if (For(ModelKind.Offer, customerId) is not { } model)
        {
            return null;
        }

        var scores = new float[offers.Count];
        for (var i = 0; i < offers.Count; i++)
        {
            scores[i] = model.Score(state, now, offers[i], context);
        }

        return (scores, model.Version);
    }

    /// <summary>A challenger and the share of customers it scores.</summary>
    public sealed record Split(LoadedModel Model, double Share);

    private static void Validate(LoadedModel model)
    {
        var now = DateTime.UtcNow;
        var probe = new Offer { OfferId = "probe", Type = OfferType.Discount, Reward = 5, Difficulty = 10, DurationDays = 7, Channels = [Channel.Email] };
        foreach (var sample in SampleCustomers(now))
        {
            var p = model.Score(sample, now, model.Bundle.Manifest.Kind == ModelKind.Offer ? probe : null);
            if (Measurement.OutputProblem(p, model.Bundle.Manifest.Output) is { } problem)
            {
                throw new InvalidModelBundleException($"the model answers {p} for a sample customer; {problem}");
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
