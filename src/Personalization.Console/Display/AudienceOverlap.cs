using Personalization.V1;

namespace Personalization.Console.Display;

/// <summary>
/// Which audiences may overlap on the calendar: every pair of distinct segments that an unfinished campaign
/// targets or a running journey enters from, and the rule whose <c>PreviewSegment</c> count is their overlap.
/// </summary>
public static class AudienceOverlap
{
    /// <summary>An audience: what uses the segment ("campaign Spring sale", "journey Win-back") and the segment's name.</summary>
    public sealed record Audience(string What, string Segment);

    /// <summary>A pair of audiences whose members may get both.</summary>
    public sealed record Pair(Audience First, Audience Second)
    {
        /// <summary>The rule that matches the customers in both segments.</summary>
        public string Rule => $"in_segment({Quote(First.Segment)}) and in_segment({Quote(Second.Segment)})";
    }

    /// <summary>The audiences on the calendar: unfinished campaigns and active or paused segment-entry journeys.</summary>
    public static IReadOnlyList<Audience> Audiences(IEnumerable<Campaign> campaigns, IEnumerable<Journey> journeys) =>
    [
        .. campaigns
            .Where(c => c.State is not (CampaignState.Completed or CampaignState.Cancelled or CampaignState.Unspecified) && c.Segment.Length > 0)
            .Select(c => new Audience($"campaign {c.Name}", c.Segment)),
        .. journeys
            .Where(j => j.State is JourneyState.Active or JourneyState.Paused && j.Entry is { Segment.Length: > 0 })
            .Select(j => new Audience($"journey {j.Name}", j.Entry.Segment)),
    ];

    /// <summary>Every pair of audiences on different segments (the same segment overlaps entirely), at most <paramref name="limit"/>.</summary>
    public static IReadOnlyList<Pair> Pairs(IReadOnlyList<Audience> audiences, int limit)
    {
        var pairs = new List<Pair>();
        for (var i = 0; i < audiences.Count && pairs.Count < limit; i++)
        {
            for (var j = i + 1; j < audiences.Count && pairs.Count < limit; j++)
            {
                if (!string.Equals(audiences[i].Segment, audiences[j].Segment, StringComparison.Ordinal))
                {
                    pairs.Add(new Pair(audiences[i], audiences[j]));
                }
            }
        }

        return pairs;
    }

    // The rule language has no escapes: a name is quoted with the quote it does not contain.
    private static string Quote(string name) => name.Contains('\'', StringComparison.Ordinal) ? $"\"{name}\"" : $"'{name}'";
}
