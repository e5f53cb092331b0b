using Personalization.Decisioning.Customers;

namespace Personalization.Grains.Customers;

/// <summary>
/// What grain storage holds for a customer: the state, and where the changes made after it are
/// (<see cref="Log"/> under <see cref="Claim"/>, sequence numbers above <see cref="Seq"/>). Log is
/// null when the snapshot is the whole customer (written on deactivation, or no log in use).
/// </summary>
[GenerateSerializer]
public sealed class CustomerSnapshot
{
    [Id(0)] public CustomerState State { get; set; } = new();

    /// <summary>The change log that may hold this customer's later changes.</summary>
    [Id(1)] public string? Log { get; set; }

    /// <summary>The activation's claim in that log: records under another claim are not this snapshot's.</summary>
    [Id(2)] public long Claim { get; set; }

    /// <summary>The last change under the claim that this snapshot includes.</summary>
    [Id(3)] public long Seq { get; set; }
}
