using Orleans;

namespace Personalization.Decisioning.Journeys;

/// <summary>
/// Every journey at one registry version, as each silo caches it: the status and current version of
/// each, and every version still defined (customers finish on the version they entered).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JourneySnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyDictionary<string, JourneyStatus> Status,
    [property: Id(2)] IReadOnlyList<JourneyDefinition> Definitions)
{
    /// <summary>The snapshot before any journey exists.</summary>
    public static JourneySnapshot Empty { get; } = new(0, new Dictionary<string, JourneyStatus>(), []);

    /// <summary>
    /// The journeys known to have reached their total entry limit (not part of the registry's snapshot: the
    /// silo that runs a pass sets it from what the journeys' counters answered).
    /// </summary>
    public IReadOnlySet<string> Full => _full ?? NoneFull;

    private static readonly HashSet<string> NoneFull = [];

    [NonSerialized]
    private IReadOnlySet<string>? _full;

    /// <summary>This snapshot with <paramref name="full"/> as the journeys known to be full.</summary>
    public JourneySnapshot WithFull(IReadOnlySet<string> full)
    {
        var copy = this with { };
        copy._full = full;
        return copy;
    }

    /// <summary>A journey's status; Archived for an unknown one (its enrollments end).</summary>
    public JourneyStatus StatusOf(string journeyId) => Status.GetValueOrDefault(journeyId, JourneyStatus.Archived);

    /// <summary>One version of a journey, or null.</summary>
    public JourneyDefinition? Find(string journeyId, int version) =>
        Definitions.FirstOrDefault(d => d.JourneyId == journeyId && d.Version == version);

    /// <summary>The current version of every active journey, highest priority first (then by id).</summary>
    public IEnumerable<JourneyDefinition> Active() => Definitions
        .Where(d => StatusOf(d.JourneyId) == JourneyStatus.Active)
        .GroupBy(d => d.JourneyId)
        .Select(g => g.MaxBy(d => d.Version)!)
        .OrderByDescending(d => d.Priority)
        .ThenBy(d => d.JourneyId, StringComparer.Ordinal);
}
