using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Decisions;

/// <summary>A live offer with its acceptance probability for this customer and its population results (for exploration).</summary>
public readonly record struct ScoredOffer(Offer Offer, double Acceptance, long Trials, long Successes);
