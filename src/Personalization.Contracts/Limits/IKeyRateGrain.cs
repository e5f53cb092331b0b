namespace Personalization.Contracts.Limits;

/// <summary>
/// The owner of one API key's cluster-wide request budget (keyed by the key's name; one activation in the
/// cluster, kept in memory only). Silos borrow tokens from it in leases, so a call checks only its own
/// silo's share and a key allowed N requests a second gets about N across all silos, not N per silo.
/// </summary>
public interface IKeyRateGrain : IGrainWithStringKey
{
    /// <summary>
    /// Lends up to <paramref name="want"/> tokens. The limit a silo sends comes from its settings; the owner
    /// keeps the one of the most recently started silo (<paramref name="settingsStamp"/>), so a limit changed
    /// by a rolling restart takes effect when the first silo with the new setting asks.
    /// </summary>
    /// <returns>The tokens granted, 0 when the key's budget is spent for now.</returns>
    Task<int> Lend(int want, int rate, int burst, long settingsStamp);
}
