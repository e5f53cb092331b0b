using Orleans;

namespace Personalization.Decisioning.Recommendations;

/// <summary>What the population did with one item: counts, a decayed trend and its top neighbours. Replaced whole on a change, so a snapshot may share it.</summary>
[GenerateSerializer, Immutable]
public sealed record ItemNode
{
    /// <summary>Views (and cart adds), ever.</summary>
    [Id(0)] public long Views { get; init; }

    /// <summary>Purchases (order lines), ever.</summary>
    [Id(1)] public long Purchases { get; init; }

    /// <summary>Recent activity: views plus <see cref="ItemStatistics.PurchaseTrendWeight"/> × purchases, halving every <see cref="ItemStatistics.TrendHalfLifeDays"/>, as of <see cref="TrendAt"/>.</summary>
    [Id(2)] public double Trend { get; init; }

    /// <summary>When <see cref="Trend"/> was last brought up to date.</summary>
    [Id(3)] public DateTime TrendAt { get; init; }

    /// <summary>Items bought with this one (same order or the same customer's earlier purchases), strongest first.</summary>
    [Id(4)] public Neighbour[] Bought { get; init; } = [];

    /// <summary>Items viewed with this one (the same customer's recent views), strongest first.</summary>
    [Id(5)] public Neighbour[] Viewed { get; init; } = [];

    /// <summary>How much activity the item has, for normalising neighbour weights and popularity.</summary>
    public double Activity => Views + (ItemStatistics.PurchaseTrendWeight * Purchases);
}
