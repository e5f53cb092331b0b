using Orleans;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Decisions;

namespace Personalization.Decisioning.Customers;

/// <summary>
/// A decision the customer was given: the records it left in the decision memory, the decision
/// counter after it, for a campaign decision the campaign's mark (the exactly-once record), and when
/// it was made.
/// Logged as its result, not its inputs: replaying it needs no model and no offer catalog.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DecisionMade(
    [property: Id(0)] List<DecisionRecord> Records,
    [property: Id(1)] int DecisionCount,
    [property: Id(2)] CampaignMark? Mark,
    [property: Id(3)] DateTime DecidedAt) : CustomerChange;
