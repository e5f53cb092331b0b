using Orleans;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Journeys;

namespace Personalization.Decisioning.Customers;

/// <summary>
/// An enrollment moved (entered, stepped, sent, ended): the enrollment after the move, the decision
/// records its sends left, and the decision counter after it. Logged as its result, like
/// <see cref="DecisionMade"/>: replaying it needs no journey definition, no model and no clock, so
/// recovery lands exactly where the live path was.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JourneyAdvanced(
    [property: Id(0)] Enrollment Enrollment,
    [property: Id(1)] IReadOnlyList<DecisionRecord> Records,
    [property: Id(2)] int DecisionCount,
    [property: Id(3)] DateTime At) : CustomerChange;
