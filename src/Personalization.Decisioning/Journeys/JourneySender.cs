namespace Personalization.Decisioning.Journeys;

/// <summary>Runs a send step for an enrollment at a moment (the grain binds <see cref="JourneySends.Decide"/> to its scored offers).</summary>
public delegate JourneySendResult JourneySender(JourneyDefinition journey, JourneyStep step, Enrollment enrollment, DateTime now);
