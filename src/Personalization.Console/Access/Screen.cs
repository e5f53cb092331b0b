namespace Personalization.Console.Access;

/// <summary>The console's screens.</summary>
public enum Screen
{
    Segments,
    Offers,
    Campaigns,
    Journeys,
    Calendar,
    Reports,
    Customers,
    Models,
}
