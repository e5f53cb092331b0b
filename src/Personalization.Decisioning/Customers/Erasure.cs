using Personalization.Decisioning.Journeys;

namespace Personalization.Decisioning.Customers;

/// <summary>What an erasure tells the rest of the service before a customer's state goes (the state itself is deleted whole).</summary>
public static class Erasure
{
    /// <summary>The journey end label of an enrollment removed by an erasure (reported as <c>ERASED</c>).</summary>
    public const string JourneyEnd = "Erased";

    /// <summary>Each active enrollment leaves its step and ends as erased, so the journeys' results stop counting the customer as in them.</summary>
    public static List<JourneyCount> JourneyCounts(CustomerState state) =>
        [.. (state.Journeys ?? []).Where(e => e.Active).SelectMany(e => new JourneyCount[]
        {
            new(e.JourneyId, e.Step, JourneyCounter.Left, ""),
            new(e.JourneyId, e.Step, JourneyCounter.Ended, JourneyEnd),
        })];
}
