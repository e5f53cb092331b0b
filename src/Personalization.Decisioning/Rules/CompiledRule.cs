using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Rules;

/// <summary>A parsed rule, ready to evaluate against a customer at a moment.</summary>
public sealed class CompiledRule(string text, Func<CustomerState, DateTime, bool> predicate, IReadOnlyList<string> fields, IReadOnlyList<string> segments)
{
    /// <summary>The rule as written.</summary>
    public string Text { get; } = text;

    /// <summary>The traits, aggregates and scores the rule reads.</summary>
    public IReadOnlyList<string> Fields { get; } = fields;

    /// <summary>The segments the rule reads with <c>in_segment(…)</c>.</summary>
    public IReadOnlyList<string> Segments { get; } = segments;

    /// <summary>Whether the customer matches at <paramref name="now"/>.</summary>
    public bool Matches(CustomerState state, DateTime now) => predicate(state, now);
}
