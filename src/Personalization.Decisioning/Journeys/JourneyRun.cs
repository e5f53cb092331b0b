using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Journeys;

/// <summary>What one pass of <see cref="JourneySteps"/> did: the changes to log, the deliveries to queue, the counts to report.</summary>
public sealed class JourneyRun
{
    /// <summary>One per enrollment moved, in order: what the grain appends to its change log.</summary>
    public List<JourneyAdvanced> Changes { get; } = [];

    /// <summary>Deliveries of the send steps that fired.</summary>
    public List<CampaignDelivery> Deliveries { get; } = [];

    /// <summary>Increments of the journeys' live results.</summary>
    public List<JourneyCount> Counts { get; } = [];

    /// <summary>Increments of the journeys' live results by more than one (a conversion's revenue and its square, <see cref="JourneyRevenue"/>).</summary>
    public List<KeyValuePair<JourneyCount, long>> Sums { get; } = [];
}
