using Orleans;
using Personalization.Decisioning.Decisions;

namespace Personalization.Decisioning.Customers;

/// <summary>An outcome joined to a decision by <see cref="DecisionMemory.Record"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record OutcomeRecorded(
    [property: Id(0)] string DecisionId,
    [property: Id(1)] string OfferId,
    [property: Id(2)] Outcome Outcome,
    [property: Id(3)] double Value,
    [property: Id(4)] DateTime At) : CustomerChange;
