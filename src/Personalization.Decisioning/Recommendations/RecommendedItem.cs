using Orleans;
using Personalization.Decisioning.Products;

namespace Personalization.Decisioning.Recommendations;

/// <summary>One recommended product, its score (higher is better, comparable within one answer) and why it was chosen.</summary>
/// <param name="Product">The product as the catalog has it.</param>
/// <param name="Score">Higher is better; comparable within one answer only.</param>
/// <param name="Reason">One of <c>bought-with:&lt;id&gt;</c>, <c>viewed-with:&lt;id&gt;</c>, <c>category:&lt;category&gt;</c>, <c>trending</c>, <c>popular</c>, <c>catalog</c>.</param>
[GenerateSerializer, Immutable]
public sealed record RecommendedItem([property: Id(0)] Product Product, [property: Id(1)] double Score, [property: Id(2)] string Reason);
