using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;

namespace Personalization.Decisioning.Measurement;

/// <summary>
/// Who responded to one delivery (pure): the keys of the lists a customer joins when it clicks or
/// converts on a campaign's or a journey step's message, so "who clicked campaign X" reads one list
/// instead of every customer. A delivery is <c>campaign:{id}</c> or <c>journey:{id}:{step}</c>; a list
/// key is <c>{clicked|converted}|{delivery}</c>.
/// </summary>
public static class Responders
{
    /// <summary>The outcomes a list is kept for.</summary>
    public static readonly Outcome[] Listed = [Outcome.Clicked, Outcome.Converted];

    /// <summary>The delivery of a campaign.</summary>
    public static string Campaign(string campaignId) => $"campaign:{campaignId}";

    /// <summary>The delivery of one send step of a journey.</summary>
    public static string JourneyStep(string journeyId, string stepId) => $"journey:{journeyId}:{stepId}";

    /// <summary>The key of the list of customers with <paramref name="outcome"/> (clicked or converted) on <paramref name="delivery"/>.</summary>
    public static string List(string delivery, Outcome outcome) => $"{outcome.ToString().ToLowerInvariant()}|{delivery}";

    /// <summary>The delivery a decision belongs to: its journey step or its campaign; null for a decision of neither.</summary>
    public static string? DeliveryOf(DecisionRecord decision) =>
        decision.JourneyId is { } journey ? JourneyStep(journey, decision.JourneyStep ?? "")
        : decision.CampaignId is { } campaign ? Campaign(campaign)
        : null;

    /// <summary>The list an outcome joined to <paramref name="decision"/> puts the customer on; null when none (not a click or conversion, or no delivery).</summary>
    public static string? ListFor(DecisionRecord decision, Outcome outcome) =>
        Listed.Contains(outcome) && DeliveryOf(decision) is { } delivery ? List(delivery, outcome) : null;

    /// <summary>The converted list a campaign's purchase rule puts a member on: only a member the campaign sent to (not held out or suppressed).</summary>
    public static string? ListFor(CampaignConversion conversion) =>
        conversion.Suppression == CampaignSuppression.None ? List(Campaign(conversion.CampaignId), Outcome.Converted) : null;

    /// <summary>Every list the customer may be on (for erasure): each outcome of every remembered campaign or journey decision and campaign mark.</summary>
    public static IEnumerable<string> Possible(CustomerState state) =>
        state.Decisions.Select(DeliveryOf)
            .Concat(state.Campaigns.Select(m => Campaign(m.CampaignId)))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .SelectMany(d => Listed.Select(o => List(d, o)));
}
