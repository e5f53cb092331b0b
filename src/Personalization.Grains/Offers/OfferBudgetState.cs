namespace Personalization.Grains.Offers;

/// <summary>An offer budget's persisted state: how many it has given.</summary>
[GenerateSerializer]
public sealed class OfferBudgetState
{
    [Id(0)] public long Spent { get; set; }
}
