using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;

namespace Personalization.Contracts.Campaigns;

/// <summary>Where a campaign stands: reach, deliveries by channel, suppressions by reason, conversions against the holdout.</summary>
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

    [Id(6)] public long TreatedConverted { get; set; }

    [Id(7)] public long HeldOutConverted { get; set; }

    [Id(8)] public int ShardsDone { get; set; }

    [Id(9)] public int ShardsTotal { get; set; }

    /// <summary>Conversion rate of treated members.</summary>
    public double TreatedRate => Treated == 0 ? 0 : (double)TreatedConverted / Treated;

    /// <summary>Conversion rate of the holdout.</summary>
    public double HoldoutRate => HeldOut == 0 ? 0 : (double)HeldOutConverted / HeldOut;

    /// <summary>Relative lift of treated over holdout; 0 until the holdout has a conversion.</summary>
    public double Lift => HoldoutRate == 0 ? 0 : (TreatedRate - HoldoutRate) / HoldoutRate;

    /// <summary>The counts for a channel, created on first use.</summary>
    public ChannelCounts Channel(Channel channel) => Channels.TryGetValue(channel, out var counts) ? counts : Channels[channel] = new ChannelCounts();

    /// <summary>Adds one member's answer.</summary>
    public void Count(CampaignDecision decision)
    {
        Decided++;
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
