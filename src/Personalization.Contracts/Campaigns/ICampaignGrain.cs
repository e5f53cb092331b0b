using Orleans.Concurrency;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;

namespace Personalization.Contracts.Campaigns;

/// <summary>
/// One campaign (key: campaign id): its definition, lifecycle, fan-out over the segment's shards with
/// persisted cursors, and its counters.
/// </summary>
public interface ICampaignGrain : IGrainWithStringKey
{
    /// <summary>Saves a validated definition as a Draft.</summary>
    Task<CampaignResult> Create(CampaignDefinition campaign);

    /// <summary>The campaign with its progress; NotFound when never created. Interleaves with a fan-out round, so progress reads never wait.</summary>
    [AlwaysInterleave]
    Task<CampaignResult> Get();

    /// <summary>Starts now, or schedules for <paramref name="startAt"/> (or the definition's start) when in the future.</summary>
    Task<CampaignResult> Start(DateTime? startAt);

    /// <summary>Pauses a running or scheduled campaign; its due scheduled deliveries are held until it is resumed (or dropped if cancelled).</summary>
    Task<CampaignResult> Pause();

    /// <summary>Resumes a paused campaign where it stopped.</summary>
    Task<CampaignResult> Resume();

    /// <summary>Stops for good; its scheduled deliveries not yet released are dropped when they come due (campaign_cancelled).</summary>
    Task<CampaignResult> Cancel();

    /// <summary>
    /// A channel connector's result for one of the campaign's deliveries (counted once by the customer).
    /// Interleaves: it only moves counters, and a customer reporting one must never wait for a round
    /// that may be waiting for that customer.
    /// </summary>
    [AlwaysInterleave]
    Task RecordOutcome(Channel channel, Outcome outcome);

    /// <summary>
    /// Deliveries of this campaign dropped when they came due (consent withdrawn, unsubscribed, erased, ...),
    /// by reason; counted in <see cref="CampaignProgress.Dropped"/>. Interleaves, as <see cref="RecordOutcome"/>.
    /// </summary>
    [AlwaysInterleave]
    Task RecordDrops(Dictionary<Decisioning.Deliveries.DeliveryDrop, long> drops);

    /// <summary>A purchase attributed to the campaign, counted in the member's arms (reached, holdout, variant…). Interleaves, as <see cref="RecordOutcome"/>.</summary>
    [AlwaysInterleave]
    Task RecordConversion(CampaignConversion conversion);
}
