using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;

namespace Personalization.Contracts.Campaigns;

/// <summary>Where a campaign stands: reach, deliveries by channel, suppressions by reason, and its measurement (arms, experiment, winner).</summary>
[GenerateSerializer]
public sealed class CampaignProgress
{
    /// <summary>Members reached so far.</summary>
    [Id(0)] public long Targeted { get; set; }

    /// <summary>Members decided (delivered or suppressed), each exactly once.</summary>
    [Id(1)] public long Decided { get; set; }

    [Id(2)] public Dictionary<Channel, ChannelCounts> Channels { get; set; } = [];

    [Id(3)] public Dictionary<CampaignSuppression, long> Suppressed { get; set; } = [];

    /// <summary>Members who got at least one delivery.</summary>
    [Id(4)] public long Treated { get; set; }

    /// <summary>Members in the control group.</summary>
    [Id(5)] public long HeldOut { get; set; }

    // Ids 6 and 7 held the converted counts of the biased lift (every non-holdout member's purchases
    // over the delivered members only); never reused.

    [Id(8)] public int ShardsDone { get; set; }

    [Id(9)] public int ShardsTotal { get; set; }

    /// <summary>The arms: reached (intention to treat), holdout, delivered, variants, after the winner, global control.</summary>
    [Id(10)] public CampaignMeasurement Measurement { get; set; } = new();

    /// <summary>The variant (0-based) the auto-winner chose; null while the experiment runs.</summary>
    [Id(11)] public int? Winner { get; set; }

    /// <summary>When the auto-winner chose it.</summary>
    [Id(12)] public DateTime? WinnerAt { get; set; }

    /// <summary>
    /// Deliveries queued for a later send time and dropped when they came due, by reason (consent withdrawn,
    /// unsubscribed, spam complaint, hard bounce, erased). Numbered from the privacy work's range so parallel
    /// additions to this record do not collide.
    /// </summary>
    [Id(45)] public Dictionary<Decisioning.Deliveries.DeliveryDrop, long> Dropped { get; set; } = [];

    /// <summary>
    /// Members held for the winner on the test walk (outside the test share; not decided then, so not in
    /// <see cref="Decided"/> until released). Ids 55–59: the measurement work's range.
    /// </summary>
    [Id(55)] public long Held { get; set; }

    /// <summary>Members decided on the release walk (each once; in <see cref="Decided"/> too).</summary>
    [Id(56)] public long Released { get; set; }

    /// <summary>The variant (0-based) the release walk sends; null until the release begins.</summary>
    [Id(57)] public int? ReleaseVariant { get; set; }

    /// <summary>When the release began.</summary>
    [Id(58)] public DateTime? ReleasedAt { get; set; }

    /// <summary>Whether the deadline (no winner by then) chose <see cref="ReleaseVariant"/>: the default variant.</summary>
    [Id(59)] public bool ReleasedByDeadline { get; set; }

    /// <summary>Conversion rate of every non-holdout member reached (intention to treat).</summary>
    public double TreatedRate => Measurement.Reached.ConversionRate;

    /// <summary>Conversion rate of the holdout.</summary>
    public double HoldoutRate => Measurement.Holdout.ConversionRate;

    /// <summary>Relative lift of reached over holdout (intention to treat); 0 until the holdout has a conversion.</summary>
    public double Lift => HoldoutRate == 0 ? 0 : (TreatedRate - HoldoutRate) / HoldoutRate;

    /// <summary>The counts for a channel, created on first use.</summary>
    public ChannelCounts Channel(Channel channel) => Channels.TryGetValue(channel, out var counts) ? counts : Channels[channel] = new ChannelCounts();

    /// <summary>Adds one member's answer (a held member counts as targeted and held; a decided one as decided, and as released instead of targeted when on the release walk).</summary>
    public void Count(CampaignDecision decision)
    {
        // A released member was targeted when it was held.
        Targeted += decision.Released ? 0 : 1;
        if (decision.Suppression == CampaignSuppression.Held)
        {
            Held++;
            return;
        }

        Decided++;
        Released += decision.Released ? 1 : 0;
        Measurement.Count(decision);
        if (decision.Suppression == CampaignSuppression.None)
        {
            Treated++;
            foreach (var delivery in decision.Deliveries)
            {
                Channel(delivery.Channel).Queued++;
            }
        }
        else
        {
            Suppressed[decision.Suppression] = Suppressed.GetValueOrDefault(decision.Suppression) + 1;
            HeldOut += decision.Suppression == CampaignSuppression.Holdout ? 1 : 0;
        }
    }
}
