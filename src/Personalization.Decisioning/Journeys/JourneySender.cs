namespace Personalization.Decisioning.Journeys;

/// <summary>Runs a send step for an enrollment at a moment (the grain binds <see cref="JourneySends.Decide"/> to its scored offers).</summary>
public delegate JourneySendResult JourneySender(JourneyDefinition journey, JourneyStep step, Enrollment enrollment, DateTime now);

/// <summary>
/// The expected value to a customer of what a journey would send (its best offer's acceptance × value, as the
/// decision engine ranks offers): the tie-break between journeys of equal priority that one event enters together.
/// </summary>
public delegate double JourneyValue(JourneyDefinition journey);
