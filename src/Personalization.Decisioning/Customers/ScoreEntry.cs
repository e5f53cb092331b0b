using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>A cached model score: the value, the model version that made it, when, and at which event count.</summary>
[GenerateSerializer, Immutable]
public sealed record ScoreEntry(
    [property: Id(0)] double Value,
    [property: Id(1)] string ModelVersion,
    [property: Id(2)] DateTime ScoredAt,
    [property: Id(3)] long EventCountAt)
{
    /// <summary>Events after which a cached score is recomputed.</summary>
    public const int RescoreAfterEvents = 5;

    /// <summary>Age after which a cached score is recomputed (time-based features move).</summary>
    public static readonly TimeSpan RescoreAfter = TimeSpan.FromDays(1);

    /// <summary>Whether the score still stands for this state, model version and time.</summary>
    public bool IsCurrent(CustomerState state, string modelVersion, DateTime now) =>
        ModelVersion == modelVersion && state.EventCount - EventCountAt < RescoreAfterEvents && now - ScoredAt < RescoreAfter;
}
