using Personalization.Contracts.Offers;
using Personalization.Contracts.Persistence;
using Personalization.Decisioning.Offers;

namespace Personalization.Grains.Offers;

/// <summary>
/// Counts the grants of one offer against its total cap. A grain handles one call at a time, so the
/// check and the count are one step; the count is written before the answer, so a crash never
/// forgets a grant (it may keep one that was given back just before, which under-spends, never over).
/// </summary>
public sealed class OfferBudgetGrain(
    [PersistentState("budget", StorageNames.Grains)] IPersistentState<OfferBudgetState> budget) : Grain, IOfferBudgetGrain
{
    public async Task<bool> TryTake(long total)
    {
        if (budget.State.Spent >= total)
        {
            return false;
        }

        budget.State.Spent++;
        try
        {
            await budget.WriteStateAsync();
        }
        catch
        {
            budget.State.Spent--;
            throw;
        }

        return true;
    }

    public async Task<long> TakeBlock(long total, long wanted)
    {
        var granted = OfferBudgetLeases.Block(total - budget.State.Spent, wanted);
        if (granted == 0)
        {
            return 0;
        }

        budget.State.Spent += granted;
        try
        {
            await budget.WriteStateAsync();
        }
        catch
        {
            budget.State.Spent -= granted;
            throw;
        }

        return granted;
    }

    public async Task GiveBack()
    {
        if (budget.State.Spent > 0)
        {
            budget.State.Spent--;
            await budget.WriteStateAsync();
        }
    }

    public Task<long> GetSpent() => Task.FromResult(budget.State.Spent);
}
