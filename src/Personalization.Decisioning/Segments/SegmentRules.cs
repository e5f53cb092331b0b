using System.Text.RegularExpressions;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Rules;

namespace Personalization.Decisioning.Segments;

/// <summary>Validates segment definitions, orders them for evaluation and evaluates a customer's memberships. Pure.</summary>
public static partial class SegmentRules
{
    /// <summary>Longest rule accepted.</summary>
    public const int MaxRuleLength = 4000;

    /// <summary>Every problem with <paramref name="segment"/> among <paramref name="others"/> (the other saved segments); empty when it can be saved.</summary>
    public static List<FieldError> Validate(SegmentDefinition segment, IReadOnlyCollection<SegmentDefinition> others)
    {
        var errors = new List<FieldError>();
        if (!IsName(segment.Name))
        {
            errors.Add(new("segment.name", NameRule));
        }

        if (segment.Description.Length > 1000)
        {
            errors.Add(new("segment.description", "at most 1000 characters."));
        }

        if (string.IsNullOrWhiteSpace(segment.Rule) || segment.Rule.Length > MaxRuleLength)
        {
            errors.Add(new("segment.rule", $"is required, at most {MaxRuleLength} characters."));
            return errors;
        }

        if (RuleLanguage.Check(segment.Rule, allowContext: false) is { } syntax)
        {
            errors.Add(new("segment.rule", syntax.ToString()));
            return errors;
        }

        var byName = others.Where(o => o.Name != segment.Name).ToDictionary(o => o.Name, StringComparer.Ordinal);
        foreach (var used in RuleLanguage.Compile(segment.Rule).Segments)
        {
            if (used == segment.Name)
            {
                errors.Add(new("segment.rule", $"in_segment({used}) refers to the segment itself."));
            }
            else if (!byName.ContainsKey(used))
            {
                errors.Add(new("segment.rule", $"in_segment({used}): no segment '{used}'."));
            }
            else if (Reaches(used, segment.Name, byName))
            {
                errors.Add(new("segment.rule", $"in_segment({used}) makes a cycle: '{used}' already depends on '{segment.Name}'."));
            }
        }

        return errors;
    }

    /// <summary>The segments that read <paramref name="name"/> with <c>in_segment</c>.</summary>
    public static IEnumerable<string> Dependents(string name, IEnumerable<SegmentDefinition> segments) =>
        segments.Where(s => RuleLanguage.Compile(s.Rule).Segments.Contains(name)).Select(s => s.Name);

    /// <summary>The segments in evaluation order: each after every segment its rule reads (ties by name).</summary>
    public static List<SegmentDefinition> Order(IEnumerable<SegmentDefinition> segments)
    {
        var pending = segments.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var ordered = new List<SegmentDefinition>(pending.Count);
        while (pending.Count > 0)
        {
            // Validation forbids cycles; should one slip in, the rest keep name order rather than loop.
            var ready = pending.FindIndex(s => RuleLanguage.Compile(s.Rule).Segments.All(d => placed.Contains(d) || pending.TrueForAll(p => p.Name != d)));
            var next = pending[ready < 0 ? 0 : ready];
            pending.Remove(next);
            placed.Add(next.Name);
            ordered.Add(next);
        }

        return ordered;
    }

    /// <summary>
    /// Re-evaluates every segment for a customer, updating <see cref="CustomerState.Segments"/>; returns
    /// the joins and leaves to tell the segment shards. A membership of an older generation counts as
    /// absent (the segment was redefined); memberships of segments that no longer exist are dropped.
    /// </summary>
    public static List<MembershipChange> Evaluate(CustomerState state, SegmentSnapshot snapshot, DateTime now)
    {
        var changes = new List<MembershipChange>();
        foreach (var segment in snapshot.Segments)
        {
            var matches = !state.IsEmpty && state.MergedInto is null && RuleLanguage.Compile(segment.Rule).Matches(state, now);
            var had = state.Segments.TryGetValue(segment.Name, out var generation);
            if (matches && (!had || generation != segment.Generation))
            {
                state.Segments[segment.Name] = segment.Generation;
                changes.Add(new(segment.Name, segment.Generation, Joined: true));
            }
            else if (!matches && had)
            {
                state.Segments.Remove(segment.Name);
                changes.Add(new(segment.Name, segment.Generation, Joined: false));
            }
        }

        if (state.Segments.Count > 0)
        {
            foreach (var gone in state.Segments.Keys.Where(n => !snapshot.Segments.Any(s => s.Name == n)).ToList())
            {
                state.Segments.Remove(gone);
            }
        }

        return changes;
    }

    /// <summary>
    /// When any segment's answer for the customer can next change by time alone (a time test of its rule
    /// crossing, see <see cref="CompiledRule.NextChange"/>), or null: the one re-evaluation the customer
    /// needs on the wake-up schedule, so "no purchase for 30 days" fills on day 31 with nobody touching it.
    /// </summary>
    public static DateTime? NextChange(CustomerState state, SegmentSnapshot snapshot, DateTime now)
    {
        DateTime? next = null;
        if (state.IsEmpty || state.MergedInto is not null)
        {
            return next;
        }

        foreach (var segment in snapshot.Segments)
        {
            var rule = RuleLanguage.Compile(segment.Rule);
            if (rule.Clocks.Count > 0 && rule.NextChange(state, now) is { } at && (next is null || at < next))
            {
                next = at;
            }
        }

        return next;
    }

    private static bool Reaches(string from, string target, Dictionary<string, SegmentDefinition> byName)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([from]);
        while (stack.TryPop(out var name))
        {
            if (!seen.Add(name) || !byName.TryGetValue(name, out var segment))
            {
                continue;
            }

            foreach (var used in RuleLanguage.Compile(segment.Rule).Segments)
            {
                if (used == target)
                {
                    return true;
                }

                stack.Push(used);
            }
        }

        return false;
    }

    /// <summary>What a segment name must be.</summary>
    public const string NameRule = "is required: 1 to 64 lower-case letters, digits and hyphens, starting with a letter.";

    /// <summary>Whether <paramref name="name"/> can name a segment.</summary>
    public static bool IsName(string name) => Name().IsMatch(name);

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$")]
    private static partial Regex Name();
}
