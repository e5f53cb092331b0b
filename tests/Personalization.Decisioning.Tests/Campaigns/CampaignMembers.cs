using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Tests.Campaigns;

/// <summary>Customers for campaign tests: members of segment "vip" in New York, with or without email consent.</summary>
internal static class CampaignMembers
{
    /// <summary>A member who consented to email (a month before <paramref name="now"/>) or did not.</summary>
    public static CustomerState Vip(bool consents, DateTime now)
    {
        var state = new CustomerState { TimeZone = "America/New_York" };
        state.Segments["vip"] = 1;
        state.EventCount = 1;
        if (consents)
        {
            state.Channel(Channel.Email).Consent["marketing"] = new ConsentEntry(true, now.AddDays(-30));
        }

        return state;
    }
}
