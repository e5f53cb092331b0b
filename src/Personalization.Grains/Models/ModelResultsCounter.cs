using System.Collections.Concurrent;
using Personalization.Contracts.Models;

namespace Personalization.Grains.Models;

/// <summary>
/// Live counts per model version on this silo (decisions scored, outcomes, conversions), drained to
/// the model registry every few seconds so champion and challenger can be compared on evidence
/// without a registry call per decision.
/// </summary>
public sealed class ModelResultsCounter
{
    private ConcurrentDictionary<(string Kind, string Version), long[]> _counts = new();

    /// <summary>Adds to a version's counts.</summary>
    public void Add(string kind, string? version, int decisions, int outcomes, int conversions)
    {
        if (string.IsNullOrEmpty(version))
        {
            return;
        }

        var totals = _counts.GetOrAdd((kind, version), static _ => new long[3]);
        Interlocked.Add(ref totals[0], decisions);
        Interlocked.Add(ref totals[1], outcomes);
        Interlocked.Add(ref totals[2], conversions);
    }

    /// <summary>Takes the counts gathered so far, leaving zero.</summary>
    public List<ArmCount> Drain()
    {
        var taken = Interlocked.Exchange(ref _counts, new());
        return [.. taken.Select(c => new ArmCount(c.Key.Kind, c.Key.Version, Volatile.Read(ref c.Value[0]), Volatile.Read(ref c.Value[1]), Volatile.Read(ref c.Value[2])))];
    }
}
