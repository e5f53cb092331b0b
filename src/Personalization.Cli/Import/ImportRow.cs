using Personalization.V1;

namespace Personalization.Cli.Import;

/// <summary>One input row turned into a customer id and typed traits, or the reason it cannot be.</summary>
public sealed record ImportRow(int Line, string? CustomerId, IReadOnlyDictionary<string, Value> Traits, string? Error)
{
    public static ImportRow Rejected(int line, string error) => new(line, null, new Dictionary<string, Value>(), error);
}
