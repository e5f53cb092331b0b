using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Recommendations;

/// <summary>
/// How views and purchases change the shared item statistics, in bounded memory: each item keeps
/// its counts, a decayed trend and its top <see cref="NeighboursKept"/> bought-together and
/// viewed-together neighbours. A neighbour list that is full admits a new item by replacing its
/// weakest entry and inheriting that weight plus one (Space-Saving: Metwally, Agrawal and El Abbadi,
/// "Efficient computation of frequent and top-k elements in data streams", ICDT 2005), so items that
/// keep co-occurring rise and a full list never needs more room. Deterministic and free of I/O.
/// </summary>
public static class ItemStatistics
{
    /// <summary>Neighbours kept per item and kind.</summary>
    public const int NeighboursKept = 120;

    /// <summary>Most co-items one signal links an item with.</summary>
    public const int MaxCoItems = NearbyLinesKept + BoughtWithKept;

    /// <summary>Most items tracked; signals about further new items are ignored (a catalog is far smaller).</summary>
    public const int MaxItems = 200_000;

    /// <summary>Days for an item's trend to halve without new activity.</summary>
    public const double TrendHalfLifeDays = 7;

    /// <summary>A purchase counts this many views in activity and trend.</summary>
    public const double PurchaseTrendWeight = 3;

    /// <summary>How many of the customer's latest views a new view links with.</summary>
    public const int ViewedWithKept = 5;

    /// <summary>How many of the customer's earlier purchases a new order's lines link with.</summary>
    public const int BoughtWithKept = 10;

    /// <summary>How many of the lines next to it in the same order an order line links with.</summary>
    public const int NearbyLinesKept = 10;

    /// <summary>
    /// The signals an event gives, read from the customer's interests after the event was applied
    /// (<see cref="InterestUpdates"/>): a product view or cart add links with the latest other
    /// views; each order line links with the lines next to it and the customer's earlier purchases.
    /// </summary>
    public static List<ItemSignal> SignalsFor(CustomerInterests? interests, CustomerEvent e)
    {
        var signals = new List<ItemSignal>();
        switch (e.Type)
        {
            case CustomerEventType.ProductView when e.ProductId is { Length: > 0 } productId:
                signals.Add(new ItemSignal(ItemSignalKind.View, productId, Latest(interests?.RecentViews, productId, ViewedWithKept), e.OccurredAt));
                break;
            case CustomerEventType.AddToCart when e.Items is [var item]:
                signals.Add(new ItemSignal(ItemSignalKind.View, item.ProductId, Latest(interests?.RecentViews, item.ProductId, ViewedWithKept), e.OccurredAt));
                break;
            case CustomerEventType.Purchase when e.Items is { Count: > 0 } items:
                var lines = items.Select(i => i.ProductId).Distinct(StringComparer.Ordinal).ToList();
                var earlier = (interests?.Purchased ?? []).Reverse().Select(p => p.Id).Where(id => !lines.Contains(id)).Take(BoughtWithKept).ToList();
                for (var i = 0; i < lines.Count; i++)
                {
                    signals.Add(new ItemSignal(ItemSignalKind.Purchase, lines[i], [.. Nearby(lines, i, NearbyLinesKept), .. earlier], e.OccurredAt));
                }

                break;
        }

        return signals;
    }

    /// <summary>Counts a signal: the item's counts and trend, and the link both ways with each co-item.</summary>
    public static void Observe(Dictionary<string, ItemNode> items, ItemSignal signal)
    {
        if (Node(items, signal.ProductId) is not { } node)
        {
            return;
        }

        var purchase = signal.Kind == ItemSignalKind.Purchase;
        var at = signal.At > node.TrendAt ? signal.At : node.TrendAt;
        node = node with
        {
            Views = node.Views + (purchase ? 0 : 1),
            Purchases = node.Purchases + (purchase ? 1 : 0),
            Trend = Decay(node.Trend, node.TrendAt, at) + Decay(purchase ? PurchaseTrendWeight : 1, signal.At, at),
            TrendAt = at,
        };
        foreach (var co in signal.CoItems.Where(c => c != signal.ProductId).Distinct(StringComparer.Ordinal).Take(MaxCoItems))
        {
            if (Node(items, co) is not { } other)
            {
                continue;
            }

            node = Link(node, co, purchase);
            items[co] = Link(other, signal.ProductId, purchase);
        }

        items[signal.ProductId] = node;
    }

    /// <summary>An item's trend at <paramref name="at"/>.</summary>
    public static double TrendAt(ItemNode node, DateTime at) => Decay(node.Trend, node.TrendAt, at);

    private static double Decay(double value, DateTime from, DateTime to) =>
        from == default ? value : value * Math.Pow(2, -(to - from).TotalDays / TrendHalfLifeDays);

    private static ItemNode? Node(Dictionary<string, ItemNode> items, string productId)
    {
        if (items.TryGetValue(productId, out var node))
        {
            return node;
        }

        return items.Count >= MaxItems ? null : new ItemNode();
    }

    private static ItemNode Link(ItemNode node, string productId, bool purchase) =>
        purchase ? node with { Bought = Add(node.Bought, productId) } : node with { Viewed = Add(node.Viewed, productId) };

    // Space-Saving: a known neighbour gains one; a new one takes a free slot, or the weakest slot with its weight plus one.
    private static Neighbour[] Add(Neighbour[] neighbours, string productId)
    {
        var list = new List<Neighbour>(neighbours);
        var index = list.FindIndex(n => n.ProductId == productId);
        if (index >= 0)
        {
            list[index] = list[index] with { Weight = list[index].Weight + 1 };
        }
        else if (list.Count < NeighboursKept)
        {
            list.Add(new Neighbour(productId, 1));
        }
        else
        {
            list[^1] = new Neighbour(productId, list[^1].Weight + 1);
        }

        list.Sort((a, b) => b.Weight != a.Weight ? b.Weight.CompareTo(a.Weight) : string.CompareOrdinal(a.ProductId, b.ProductId));
        return [.. list];
    }

    private static List<string> Latest(ProductMark[]? marks, string except, int count) =>
        [.. (marks ?? []).Reverse().Select(m => m.Id).Where(id => id != except).Take(count)];

    // The order lines nearest to line i (alternating after and before), at most count of them.
    private static IEnumerable<string> Nearby(List<string> lines, int i, int count)
    {
        var taken = 0;
        for (var distance = 1; taken < count && (i - distance >= 0 || i + distance < lines.Count); distance++)
        {
            if (i + distance < lines.Count && taken++ < count)
            {
                yield return lines[i + distance];
            }

            if (i - distance >= 0 && taken++ < count)
            {
                yield return lines[i - distance];
            }
        }
    }
}
