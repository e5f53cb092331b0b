using System.Collections.Concurrent;
using Personalization.Contracts.Offers;
using Personalization.Decisioning.Offers;

namespace Personalization.Grains.Offers;

/// <summary>
/// A silo's view of offer budgets (total caps) and of journeys' total entry limits, counted the same way:
/// grants go through each offer's (journey's) <see cref="IOfferBudgetGrain"/>, and an offer found spent is remembered here with its cap, so later
/// decisions on this silo leave it out without a call. Offers without a total cap never reach this.
/// </summary>
public sealed class OfferBudgets(IGrainFactory grains)
{
    // Offer id → the cap it was found spent at; a raised cap asks the budget again.
    private readonly ConcurrentDictionary<string, long> _spent = new(StringComparer.Ordinal);

    // Journey key → this silo's lease of its entry budget.
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    private long _leaseCalls;

    /// <summary>Whether this silo knows of any spent budget (when not, <see cref="KnownSpent"/> is null for any offers).</summary>
    public bool AnySpent => !_spent.IsEmpty;

    /// <summary>The offers among <paramref name="offers"/> this silo knows to have spent their budget; null when none.</summary>
    public HashSet<string>? KnownSpent(IEnumerable<Offer> offers)
    {
        HashSet<string>? spent = null;
        if (_spent.IsEmpty)
        {
            return spent;
        }

        foreach (var offer in offers)
        {
            if (offer.Caps.Total > 0 && _spent.TryGetValue(offer.OfferId, out var cap) && cap >= offer.Caps.Total)
            {
                (spent ??= new(StringComparer.Ordinal)).Add(offer.OfferId);
            }
        }

        return spent;
    }

    /// <summary>Takes one grant of a capped offer; false (and remembered) when its budget is spent.</summary>
    public Task<bool> TryTakeAsync(Offer offer) => TryTakeAsync(offer.OfferId, offer.Caps.Total);

    /// <summary>Returns a grant a decision took and did not use.</summary>
    public Task GiveBackAsync(Offer offer) => GiveBackAsync(offer.OfferId);

    /// <summary>
    /// Takes one of any other budget counted the same way (a journey's total entries, keyed
    /// <see cref="JourneyKey"/>); false (and remembered) when it is spent. A journey's entries are taken from this
    /// silo's lease (<see cref="OfferBudgetLeases"/>): a call to the budget only when the lease ran out.
    /// </summary>
    public Task<bool> TryTakeAsync(string key, long total) =>
        key.StartsWith(JourneyKeyPrefix, StringComparison.Ordinal) ? TryTakeLeasedAsync(key, total) : TryTakeOneAsync(key, total);

    /// <summary>Returns one taken with <see cref="TryTakeAsync(string, long)"/> and not used (to the lease it came from, for a journey's).</summary>
    public Task GiveBackAsync(string key)
    {
        if (_leases.TryGetValue(key, out var lease))
        {
            Interlocked.Increment(ref lease.Left);
            return Task.CompletedTask;
        }

        return grains.GetGrain<IOfferBudgetGrain>(key).GiveBack();
    }

    /// <summary>Grants of journeys' budgets this silo holds in its leases, by key (what a stop would leave unused).</summary>
    public IReadOnlyDictionary<string, long> Leased => _leases.ToDictionary(l => l.Key, l => Interlocked.Read(ref l.Value.Left), StringComparer.Ordinal);

    /// <summary>Calls this silo made to budget grains for journeys' leases.</summary>
    public long LeaseCalls => Interlocked.Read(ref _leaseCalls);

    private async Task<bool> TryTakeOneAsync(string key, long total)
    {
        if (await grains.GetGrain<IOfferBudgetGrain>(key).TryTake(total))
        {
            return true;
        }

        _spent[key] = total;
        return false;
    }

    // One from this silo's lease; when it is empty, one caller at a time asks the budget for the next block.
    private async Task<bool> TryTakeLeasedAsync(string key, long total)
    {
        var lease = _leases.GetOrAdd(key, _ => new Lease());
        while (true)
        {
            if (lease.TryTake())
            {
                return true;
            }

            await lease.Gate.WaitAsync();
            try
            {
                if (Interlocked.Read(ref lease.Left) > 0)
                {
                    continue; // another caller refilled it meanwhile
                }

                var wanted = OfferBudgetLeases.NextWanted(lease.Last);
                Interlocked.Increment(ref _leaseCalls);
                var granted = await grains.GetGrain<IOfferBudgetGrain>(key).TakeBlock(total, wanted);
                if (granted == 0)
                {
                    _spent[key] = total;
                    return false;
                }

                lease.Last = granted;
                Interlocked.Add(ref lease.Left, granted - 1);
                return true;
            }
            finally
            {
                lease.Gate.Release();
            }
        }
    }

    private sealed class Lease
    {
        public long Left;

        public long Last;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public bool TryTake()
        {
            var left = Interlocked.Read(ref Left);
            while (left > 0)
            {
                var seen = Interlocked.CompareExchange(ref Left, left - 1, left);
                if (seen == left)
                {
                    return true;
                }

                left = seen;
            }

            return false;
        }
    }

    /// <summary>Whether this silo knows the budget <paramref name="key"/> to be spent at <paramref name="total"/> (a raised total asks again).</summary>
    public bool IsKnownSpent(string key, long total) => !_spent.IsEmpty && _spent.TryGetValue(key, out var cap) && cap >= total;

    /// <summary>The budget key of a journey's total entry limit (no offer id collides: offer ids have no ':').</summary>
    public static string JourneyKey(string journeyId) => JourneyKeyPrefix + journeyId;

    private const string JourneyKeyPrefix = "journey-entries:";
}
