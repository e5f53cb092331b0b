using Google.Protobuf.WellKnownTypes;
using Personalization.Contracts.Campaigns;
using Personalization.Decisioning.Campaigns;
using Personalization.V1;
using Personalization.V1.Conversions;
using CampaignProgress = Personalization.V1.CampaignProgress;
using CampaignState = Personalization.V1.CampaignState;
using DomainChannel = Personalization.Decisioning.Customers.Channel;

namespace Personalization.Server.Grpc;

/// <summary>Maps campaigns between the public contract and the domain.</summary>
public static class CampaignMapping
{
    /// <summary>The domain definition of a create request (the id is generated when empty; validation is separate).</summary>
    public static CampaignDefinition ToDomain(Campaign campaign, DateTime now) => new()
    {
        CampaignId = campaign.CampaignId.Length == 0 ? $"cmp-{Guid.NewGuid():N}"[..16] : campaign.CampaignId,
        Name = campaign.Name,
        Segment = campaign.Segment,
        OfferIds = [.. campaign.OfferIds],
        Channels = [.. campaign.Channels.Select(c => (DomainChannel)(int)c)],
        WindowStartHour = campaign.SendWindow?.StartHour ?? 0,
        WindowEndHour = campaign.SendWindow is { StartHour: 0, EndHour: 0 } or null ? 24 : campaign.SendWindow.EndHour,
        MaxPerCustomer = campaign.Frequency is { MaxPerCustomer: not 0 } frequency ? frequency.MaxPerCustomer : 1,
        // Unset frequency means the defaults: one message, global caps respected.
        RespectGlobalCaps = campaign.Frequency?.RespectGlobalCaps ?? true,
        HoldoutShare = campaign.HoldoutShare,
        Priority = campaign.Priority,
        StartAt = Time(campaign.StartAt),
        EndAt = Time(campaign.EndAt),
        CreatedAt = now,
    };

    /// <summary>A time of the contract; unset is null.</summary>
    public static DateTime? Time(Timestamp? time) => time is null ? null : time.ToDateTime();

    /// <summary>The contract view of a campaign.</summary>
    public static Campaign ToContract(CampaignView view)
    {
        var d = view.Definition;
        var campaign = new Campaign
        {
            CampaignId = d.CampaignId,
            Name = d.Name,
            Segment = d.Segment,
            SendWindow = new SendWindow { StartHour = d.WindowStartHour, EndHour = d.WindowEndHour },
            Frequency = new FrequencyPolicy { MaxPerCustomer = d.MaxPerCustomer, RespectGlobalCaps = d.RespectGlobalCaps },
            HoldoutShare = d.HoldoutShare,
            Priority = d.Priority,
            StartAt = d.StartAt.ToContractOrUnset(),
            EndAt = d.EndAt.ToContractOrUnset(),
            State = (CampaignState)(int)view.State,
            Progress = ToContractProgress(view),
            CreatedAt = d.CreatedAt.ToContractOrUnset(),
        };
        campaign.OfferIds.AddRange(d.OfferIds);
        campaign.Channels.AddRange(d.Channels.Select(c => (Channel)(int)c));
        return campaign;
    }

    /// <summary>The contract progress of a campaign.</summary>
    public static CampaignProgress ToContractProgress(CampaignView view)
    {
        var p = view.Progress;
        var progress = new CampaignProgress
        {
            CampaignId = view.Definition.CampaignId,
            State = (CampaignState)(int)view.State,
            Targeted = p.Targeted,
            Decided = p.Decided,
            TreatedConversionRate = p.TreatedRate,
            HoldoutConversionRate = p.HoldoutRate,
            Lift = p.Lift,
            ShardsDone = p.ShardsDone,
            ShardsTotal = p.ShardsTotal,
            AsOf = view.AsOf.ToContract(),
        };
        progress.Channels.AddRange(p.Channels.OrderBy(c => c.Key).Select(c => new ChannelCount
        {
            Channel = (Channel)(int)c.Key,
            Queued = c.Value.Queued,
            Delivered = c.Value.Delivered,
            Opened = c.Value.Opened,
            Clicked = c.Value.Clicked,
            Converted = c.Value.Converted,
        }));
        progress.Suppressed.AddRange(p.Suppressed.OrderBy(s => s.Key).Select(s => new SuppressionCount { Reason = (SuppressionReason)(int)s.Key, Count = s.Value }));
        return progress;
    }
}
