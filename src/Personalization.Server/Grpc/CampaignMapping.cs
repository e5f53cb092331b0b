using Google.Protobuf.WellKnownTypes;
using Personalization.Contracts.Campaigns;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Deliveries;
using Personalization.Decisioning.Measurement;
using Personalization.V1;
using Personalization.V1.Conversions;
using CampaignProgress = Personalization.V1.CampaignProgress;
using CampaignState = Personalization.V1.CampaignState;
using CampaignVariant = Personalization.Decisioning.Campaigns.CampaignVariant;
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
        Variants = [.. campaign.Variants.Select(v => new CampaignVariant
        {
            Name = v.Name,
            Weight = v.Weight,
            OfferIds = [.. v.OfferIds],
            Channels = [.. v.Channels.Select(c => (DomainChannel)(int)c)],
            Content = v.Content,
            WindowStartHour = v.SendWindow?.StartHour,
            WindowEndHour = v.SendWindow is null ? null : v.SendWindow.EndHour,
        })],
        AutoWinnerMinExposure = campaign.AutoWinner?.MinExposure ?? 0,
        TestShare = campaign.AutoWinner?.TestShare ?? 0,
        DecideBy = campaign.AutoWinner?.DecideBy?.ToTimeSpan(),
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
        campaign.Variants.AddRange(d.Variants.Select(ToContract));
        campaign.AutoWinner = d.AutoWinnerMinExposure > 0
            ? new V1.AutoWinner { MinExposure = d.AutoWinnerMinExposure, TestShare = d.TestShare, DecideBy = d.DecideBy is { } by ? Duration.FromTimeSpan(by) : null }
            : null;
        return campaign;
    }

    /// <summary>The contract progress of a campaign.</summary>
    public static CampaignProgress ToContractProgress(CampaignView view)
    {
        var p = view.Progress;
        var d = view.Definition;
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
        progress.Dropped.AddRange(p.Dropped.OrderBy(d => d.Key).Select(d => new DroppedCount { Reason = DeliveryVerdict.Label(d.Key).ToUpperInvariant(), Count = d.Value }));
        var m = p.Measurement;
        progress.Arms.Add(Arm("reached", m.Reached));
        progress.Arms.Add(Arm("holdout", m.Holdout));
        progress.Arms.Add(Arm("delivered", m.Delivered));
        if (m.AfterWinner.Exposed > 0)
        {
            progress.Arms.Add(Arm("after_winner", m.AfterWinner));
        }

        if (m.GlobalControl.Exposed > 0)
        {
            progress.Arms.Add(Arm("global_control", m.GlobalControl));
        }

        progress.IntentionToTreat = Compare("reached", "holdout", "conversion_rate", m.IntentionToTreat(), randomised: true, Cuped.OfConversion(m.Reached, m.Holdout));
        progress.RevenueIntentionToTreat = Compare("reached", "holdout", "revenue_per_recipient", m.RevenueIntentionToTreat(), randomised: true, Cuped.OfRevenue(m.Reached, m.Holdout));
        progress.DeliveredOnly = Compare("delivered", "holdout", "conversion_rate", m.DeliveredOnly(), randomised: false);
        progress.Experiment = d.Variants.Count < 2 ? null : Experiment(d, p);
        progress.Hold = d.TestShare > 0 ? Hold(view) : null;
        return progress;
    }

    /// <summary>The hold at a test share: phase, test members, held, released, what the release sends and why, the deadline.</summary>
    private static HoldProgress Hold(CampaignView view)
    {
        var (d, p) = (view.Definition, view.Progress);
        var walkDone = p.ShardsTotal > 0 && p.ShardsDone == p.ShardsTotal;
        var over = view.State is Contracts.Campaigns.CampaignState.Completed or Contracts.Campaigns.CampaignState.Cancelled;
        return new HoldProgress
        {
            Phase = (V1.HoldPhase)(int)CampaignHold.Phase(d.TestShare, p.Held, p.ReleaseVariant, walkDone, over),
            TestShare = d.TestShare,
            TestMembers = p.Decided - p.Released,
            Held = p.Held,
            Released = p.Released,
            ReleaseVariant = p.ReleaseVariant is { } v ? d.Variants[v].Name : "",
            ReleaseReason = p.ReleaseVariant is null ? "" : p.ReleasedByDeadline ? "deadline" : "winner",
            ReleasedAt = p.ReleasedAt.ToContractOrUnset(),
            DecideBy = view.StartedAt is { } start && d.DecideBy is { } by ? CampaignHold.Deadline(start, by).ToContract() : null,
        };
    }

    private static ExperimentResult Experiment(CampaignDefinition d, Contracts.Campaigns.CampaignProgress p)
    {
        var arms = Enumerable.Range(0, d.Variants.Count).Select(p.Measurement.Arm).ToList();
        var verdict = Decisioning.Measurement.AutoWinner.Judge(arms, [.. d.Variants.Select(v => v.Weight)], Math.Max(1, d.AutoWinnerMinExposure));
        var experiment = new ExperimentResult
        {
            SampleRatioP = verdict.SampleRatioP,
            SampleRatioMismatch = verdict.SampleRatioP < SampleRatio.Threshold,
            Winner = p.Winner is { } w ? d.Variants[w].Name : "",
            WinnerAt = p.WinnerAt.ToContractOrUnset(),
            Verdict = p.Winner is not null ? "the auto-winner chose this variant; the remaining members got it only."
                : d.AutoWinnerMinExposure > 0 ? verdict.Reason
                : $"auto-winner off; by its rule now: {verdict.Reason}",
        };
        experiment.Variants.AddRange(d.Variants.Select((v, i) => Arm(v.Name, arms[i])));
        for (var i = 1; i < d.Variants.Count; i++)
        {
            experiment.Comparisons.Add(Compare(d.Variants[i].Name, d.Variants[0].Name, "conversion_rate", p.Measurement.VariantAgainstFirst(i), randomised: true, Cuped.OfConversion(arms[i], arms[0])));
            experiment.Comparisons.Add(Compare(d.Variants[i].Name, d.Variants[0].Name, "revenue_per_recipient", p.Measurement.VariantRevenueAgainstFirst(i), randomised: true, Cuped.OfRevenue(arms[i], arms[0])));
        }

        return experiment;
    }

    /// <summary>One group's results (members, conversions, revenue) in the public contract; journeys report theirs the same way.</summary>
    public static ArmResult Arm(string name, ArmCounts arm) => new()
    {
        Name = name,
        Members = arm.Exposed,
        Delivered = arm.Delivered,
        Conversions = arm.Converted,
        ConversionRate = arm.ConversionRate,
        Revenue = arm.Revenue,
        RevenuePerRecipient = arm.RevenuePerRecipient,
    };

    /// <summary>A difference with its interval and sample sizes in the public contract (journeys report theirs the same way), with its CUPED figures when given.</summary>
    public static Comparison Compare(string treatment, string control, string metric, Difference d, bool randomised, CupedResult? cuped = null) => new()
    {
        CupedDifference = cuped?.Adjusted.Estimate ?? 0,
        CupedLow = cuped?.Adjusted.Low ?? 0,
        CupedHigh = cuped?.Adjusted.High ?? 0,
        CupedVarianceReduction = cuped?.VarianceReduction ?? 0,
        Treatment = treatment,
        Control = control,
        Metric = metric,
        TreatmentValue = d.Treatment,
        ControlValue = d.Control,
        TreatmentMembers = d.TreatmentSize,
        ControlMembers = d.ControlSize,
        Difference = d.Estimate,
        Low = d.Low,
        High = d.High,
        RelativeLift = d.Lift,
        Randomised = randomised,
    };

    private static V1.CampaignVariant ToContract(Decisioning.Campaigns.CampaignVariant v)
    {
        var variant = new V1.CampaignVariant
        {
            Name = v.Name,
            Weight = v.Weight,
            Content = v.Content,
            SendWindow = v.WindowStartHour is null && v.WindowEndHour is null ? null : new SendWindow { StartHour = v.WindowStartHour ?? 0, EndHour = v.WindowEndHour ?? 24 },
        };
        variant.OfferIds.AddRange(v.OfferIds);
        variant.Channels.AddRange(v.Channels.Select(c => (Channel)(int)c));
        return variant;
    }
}
