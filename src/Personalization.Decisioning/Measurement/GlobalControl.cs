using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Measurement;

/// <summary>
/// The global control group: a stable share of customers held out of every campaign, journey and
/// real-time decision, so the service's total incremental effect can be read against them. Drawn
/// by a hash of the customer id and an operator's salt: changing the salt re-draws the group.
/// </summary>
public static class GlobalControl
{
    /// <summary>The largest share that may be held out.</summary>
    public const double MaxShare = 0.10;

    /// <summary>Whether <paramref name="customerId"/> is in the global control group for this salt and share (0..<see cref="MaxShare"/>).</summary>
    public static bool IsHeldOut(string customerId, string salt, double share) =>
        share > 0 && EventIdHash.Unit($"global-control:{salt}:{customerId}") < share;
}
