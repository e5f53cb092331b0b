using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;

namespace Personalization.Decisioning.Rules;

/// <summary>A parsed rule, ready to evaluate against a customer at a moment.</summary>
public sealed class CompiledRule(string text, Func<CustomerState, DateTime, PlacementContext, bool> predicate, IReadOnlyList<string> fields, IReadOnlyList<string> segments, bool readsContext, IReadOnlyList<(string Name, double Days)>? clocks = null)
{
    /// <summary>The rule as written.</summary>
    public string Text { get; } = text;

    /// <summary>The traits, aggregates and scores the rule reads.</summary>
    public IReadOnlyList<string> Fields { get; } = fields;

    /// <summary>The segments the rule reads with <c>in_segment(…)</c>.</summary>
    public IReadOnlyList<string> Segments { get; } = segments;

    /// <summary>Whether the rule reads the request's context (<c>context.…</c>): only offer eligibility has one.</summary>
    public bool ReadsContext { get; } = readsContext;

    /// <summary>
    /// The time tests the rule makes: each <c>days_since(name)</c> compared with a number of days (a
    /// comparison or an <c>in</c> list item). Only these make the answer change with nobody touching the
    /// customer (a <c>days_since</c> compared with another field is not listed: it moves with that field).
    /// </summary>
    public IReadOnlyList<(string Name, double Days)> Clocks { get; } = clocks ?? [];

    /// <summary>How long after a time test's crossing <see cref="NextChange"/> wakes: past the instant, so <c>&gt;</c> and <c>&lt;=</c> have flipped too.</summary>
    public static readonly TimeSpan ChangeMargin = TimeSpan.FromSeconds(1);

    /// <summary>
    /// When the answer can next change by time alone, after <paramref name="now"/>: the earliest moment a
    /// time test's <c>days_since</c> crosses its number of days, plus <see cref="ChangeMargin"/> (so never
    /// before the change, at most the margin after it); null when no time test lies ahead (no clocks, or
    /// their times unknown or passed). Until then, with no event, the answer stays what it is at now.
    /// </summary>
    public DateTime? NextChange(CustomerState state, DateTime now)
    {
        DateTime? next = null;
        foreach (var (name, days) in Clocks)
        {
            // days_since reads fractional days; beyond 100 years nothing is scheduled.
            if (RuleLanguage.DaysSinceFrom(state, name) is { } since && days is >= 0 and <= 36_500)
            {
                var at = since.AddDays(days) + ChangeMargin;
                if (at > now && (next is null || at < next))
                {
                    next = at;
                }
            }
        }

        return next;
    }

    /// <summary>Whether the customer matches at <paramref name="now"/>, with no request context.</summary>
    public bool Matches(CustomerState state, DateTime now) => predicate(state, now, PlacementContext.None);

    /// <summary>Whether the customer matches at <paramref name="now"/> in a request's context.</summary>
    public bool Matches(CustomerState state, DateTime now, PlacementContext context) => predicate(state, now, context);
}
