namespace Personalization.Contracts.Offers;

/// <summary>
/// The spend of one offer's total cap, its budget (key: offer id): one activation in the cluster
/// counts every grant, one at a time, so silos deciding at once never give more than the cap.
/// </summary>
public interface IOfferBudgetGrain : IGrainWithStringKey
{
    /// <summary>Takes one from a budget of <paramref name="total"/>, written before it answers; false when it is spent.</summary>
    Task<bool> TryTake(long total);

    /// <summary>
    /// Takes up to <paramref name="wanted"/> at once for a silo's lease, written before it answers: at most an
    /// eighth of what is left (at least one), so near the end of a budget no silo holds back much; 0 when it is spent.
    /// </summary>
    Task<long> TakeBlock(long total, long wanted);

    /// <summary>Gives one back (a grant a decision did not use in the end).</summary>
    Task GiveBack();

    /// <summary>How many the offer has been given so far.</summary>
    Task<long> GetSpent();
}
