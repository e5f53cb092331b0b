using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;

namespace Personalization.Decisioning.Rules;

/// <summary>A parsed rule, ready to evaluate against a customer at a moment.</summary>
public sealed class CompiledRule(string text, Func<CustomerState, DateTime, PlacementContext, bool> predicate, IReadOnlyList<string> fields, IReadOnlyList<string> segments, bool readsContext)
{
    /// <summary>The rule as written.</summary>
    public string Text { get; } = text;

    /// <summary>The traits, aggregates and scores the rule reads.</summary>
    public IReadOnlyList<string> Fields { get; } = fields;

    /// <summary>The segments the rule reads with <c>in_segment(…)</c>.</summary>
    public IReadOnlyList<string> Segments { get; } = segments;

    /// <summary>Whether the rule reads the request's context (<c>context.…</c>): only offer eligibility has one.</summary>
    public bool ReadsContext { get; } = readsContext;

    /// <summary>Whether the customer matches at <paramref name="now"/>, with no request context.</summary>
    public bool Matches(CustomerState state, DateTime now) => predicate(state, now, PlacementContext.None);

    /// <summary>Whether the customer matches at <paramref name="now"/> in a request's context.</summary>
    public bool Matches(CustomerState state, DateTime now, PlacementContext context) => predicate(state, now, context);
}
