using Orleans;
using Personalization.Decisioning.Measurement;

namespace Personalization.Decisioning.Campaigns;

/// <summary>
/// A campaign's results as randomised comparisons, kept as arm counts and updated by each member's
/// answer and each attributed purchase (pure; the campaign grain keeps one and saves it with its
/// progress). The headline is intention to treat: every non-holdout member the campaign reached a
/// decision for, delivered or not, against the holdout; both groups were drawn by the same hash, so
/// the difference is the campaign's effect. The delivered-only view compares members who got a
/// delivery with the holdout: it is not randomised (consent, caps and reachability select who is
/// delivered) and is labelled as such. Members no longer in the segment are in neither.
/// </summary>
[GenerateSerializer]
public sealed class CampaignMeasurement
{
    /// <summary>Intention to treat: every non-holdout member reached (delivered or suppressed).</summary>
    [Id(0)] public ArmCounts Reached { get; set; } = new();

    /// <summary>The campaign's holdout.</summary>
    [Id(1)] public ArmCounts Holdout { get; set; } = new();

    /// <summary>Members who got at least one delivery (not randomised).</summary>
    [Id(2)] public ArmCounts Delivered { get; set; } = new();

    /// <summary>Per variant (0-based), randomised members only.</summary>
    [Id(3)] public List<ArmCounts> Variants { get; set; } = [];

    /// <summary>Members sent the auto-winner after the experiment stopped.</summary>
    [Id(4)] public ArmCounts AfterWinner { get; set; } = new();

    /// <summary>Members in the service's global control group.</summary>
    [Id(5)] public ArmCounts GlobalControl { get; set; } = new();

    /// <summary>Counts one member's answer (a repeat after a crash too: the round that counted it first was not saved).</summary>
    public void Count(CampaignDecision decision)
    {
        foreach (var arm in ArmsOf(decision.Suppression, decision.Variant, decision.AfterWinner))
        {
            arm.AddMember(decision.PrePurchases);
            arm.Delivered += decision.Suppression == CampaignSuppression.None ? 1 : 0;
        }
    }

    /// <summary>Counts an attributed purchase in the member's arms.</summary>
    public void Convert(CampaignConversion conversion)
    {
        foreach (var arm in ArmsOf(conversion.Suppression, conversion.Variant, conversion.AfterWinner))
        {
            arm.AddPurchase(conversion.RevenueBefore, conversion.Amount, conversion.First, conversion.PrePurchases);
        }
    }

    /// <summary>The headline: conversion rate of every reached non-holdout member against the holdout.</summary>
    public Difference IntentionToTreat(double tuningSize = ConfidenceSequence.DefaultTuningSize) => Difference.OfConversion(Reached, Holdout, tuningSize);

    /// <summary>Revenue per member, reached against holdout.</summary>
    public Difference RevenueIntentionToTreat(double tuningSize = ConfidenceSequence.DefaultTuningSize) => Difference.OfRevenue(Reached, Holdout, tuningSize);

    /// <summary>Delivered members against the holdout: not randomised, shown for reference only.</summary>
    public Difference DeliveredOnly(double tuningSize = ConfidenceSequence.DefaultTuningSize) => Difference.OfConversion(Delivered, Holdout, tuningSize);

    /// <summary>Conversion rate of variant <paramref name="variant"/> against the first variant (the control arm).</summary>
    public Difference VariantAgainstFirst(int variant, double tuningSize = ConfidenceSequence.DefaultTuningSize) =>
        Difference.OfConversion(Arm(variant), Arm(0), tuningSize);

    /// <summary>Revenue per recipient of variant <paramref name="variant"/> against the first variant.</summary>
    public Difference VariantRevenueAgainstFirst(int variant, double tuningSize = ConfidenceSequence.DefaultTuningSize) =>
        Difference.OfRevenue(Arm(variant), Arm(0), tuningSize);

    /// <summary>The counts of a variant (0-based), created on first use.</summary>
    public ArmCounts Arm(int variant)
    {
        while (Variants.Count <= variant)
        {
            Variants.Add(new ArmCounts());
        }

        return Variants[variant];
    }

    private IEnumerable<ArmCounts> ArmsOf(CampaignSuppression suppression, int variant, bool afterWinner)
    {
        switch (suppression)
        {
            case CampaignSuppression.NotAMember or CampaignSuppression.Held:
                yield break;
            case CampaignSuppression.GlobalControl:
                yield return GlobalControl;
                yield break;
            case CampaignSuppression.Holdout:
                yield return Holdout;
                yield break;
        }

        yield return Reached;
        if (suppression == CampaignSuppression.None)
        {
            yield return Delivered;
        }

        if (variant > 0)
        {
            yield return afterWinner ? AfterWinner : Arm(variant - 1);
        }
    }
}
