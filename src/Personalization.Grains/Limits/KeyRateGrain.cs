using Personalization.Contracts.Limits;
using Personalization.Decisioning.Limits;

namespace Personalization.Grains.Limits;

/// <summary>
/// Holds one key's token bucket in memory (<see cref="KeyBudget"/>). No storage: a new activation (after
/// the owner silo dies or the grain is idle long enough to be collected) starts with a full burst.
/// </summary>
public sealed class KeyRateGrain(TimeProvider time) : Grain, IKeyRateGrain
{
    private KeyBudget? _budget;
    private (int Rate, int Burst, long Stamp) _limit;

    public Task<int> Lend(int want, int rate, int burst, long settingsStamp)
    {
        if (settingsStamp >= _limit.Stamp)
        {
            _limit = (rate, burst, settingsStamp);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var (granted, next) = (_budget ?? KeyBudget.Full(_limit.Burst, now)).Lend(want, now, _limit.Rate, _limit.Burst);
        _budget = next;
        return Task.FromResult(granted);
    }
}
