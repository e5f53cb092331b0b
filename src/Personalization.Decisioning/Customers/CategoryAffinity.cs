using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>A customer's affinity for one category: <paramref name="Score"/> as of <paramref name="At"/>, halving every <see cref="CustomerInterests.HalfLifeDays"/>.</summary>
[GenerateSerializer, Immutable]
public readonly record struct CategoryAffinity([property: Id(0)] string Category, [property: Id(1)] double Score, [property: Id(2)] DateTime At);
