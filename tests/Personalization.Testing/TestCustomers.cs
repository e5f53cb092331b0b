using Personalization.Decisioning.Decisions;

namespace Personalization.Testing;

/// <summary>Customer ids for tests that need to see actions: outside the default decision holdout.</summary>
public static class TestCustomers
{
    /// <summary>
    /// A new id (<paramref name="prefix"/> + a GUID) whose customer key (<paramref name="keyPrefix"/> + id, as a
    /// tenant-prefixed key would make it) is outside the default 5% holdout.
    /// </summary>
    public static string Treated(string prefix = "c-", string keyPrefix = "")
    {
        string id;
        do
        {
            id = $"{prefix}{Guid.NewGuid():N}";
        }
        while (!IsTreated(id, keyPrefix));

        return id;
    }

    /// <summary>Whether a customer (key <paramref name="keyPrefix"/> + id) is outside the default 5% holdout, so a decision for it can act.</summary>
    public static bool IsTreated(string id, string keyPrefix = "") => !DecisionEngine.InHoldout(keyPrefix + id, new DecisionPolicy());
}
