using Personalization.Decisioning.Decisions;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;
using DecisionMode = Personalization.V1.DecisionMode;
using Value = Personalization.V1.Value;

namespace Personalization.Server.Tests;

/// <summary>The "personalization" consent purpose over real gRPC: withdrawn, the profile is cleared and says so, and decisions use population defaults.</summary>
[Collection(ServerCollection.Name)]
public sealed class DoNotPersonalizeTests(ServerEnvironment environment)
{
    private readonly DecisionService.DecisionServiceClient _decisions = new(environment.Shared.Channel);
    private readonly EventService.EventServiceClient _events = new(environment.Shared.Channel);
    private readonly OfferService.OfferServiceClient _offers = new(environment.Shared.Channel);
    private readonly ProfileService.ProfileServiceClient _profiles = new(environment.Shared.Channel);

    [Fact]
    public async Task ACustomerWhoWithdrewPersonalizationHasNoProfileDataAndIsDecidedWithPopulationDefaults()
    {
        string customer;
        do
        {
            customer = NewCustomer();
        }
        while (DecisionEngine.InHoldout(customer, new DecisionPolicy()));

        var offer = await CampaignTests.OfferAsync(_offers, Channel.Web);
        var at = DateTime.UtcNow.AddMinutes(-5);
        var history = new TrackBatchRequest();
        history.Events.Add(Ev.Traits(customer, at, ("plan", new Value { StringValue = "gold" })));
        history.Events.Add(Ev.Session(customer, at));
        history.Events.Add(Ev.Purchase(customer, at, 80));
        history.Events.Add(Ev.Consent(customer, EventType.ConsentGranted, Channel.Email, at));
        await _events.TrackBatchAsync(history);
        var withdrawal = Ev.Consent(customer, EventType.ConsentWithdrawn, Channel.Web, at.AddMinutes(1));
        withdrawal.Consent.Purpose = "personalization";

        await _events.TrackAsync(new TrackRequest { Event = withdrawal });
        await _events.TrackAsync(new TrackRequest { Event = Ev.Purchase(customer, at.AddMinutes(2), 40) });
        var profile = await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = customer });
        var context = new DecisionContext { Mode = DecisionMode.Inbound, MaxActions = 1 };
        context.OfferIds.Add(offer);
        var decision = await _decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = context });

        Assert.True(profile.PersonalizationWithdrawn);
        Assert.Empty(profile.Traits);
        Assert.Equal((0L, 0.0, 0L), (profile.Behaviour.Purchases, profile.Behaviour.Revenue, profile.Behaviour.Views));
        Assert.Equal(["marketing"], profile.Consents.Single(c => c.Channel == Channel.Email).Purposes);
        Assert.Empty(profile.Scores);
        var scores = Assert.Single(decision.Actions).Scores;
        Assert.Equal((0.265, "", ""), (scores.Churn, scores.ChurnModelVersion, scores.OfferModelVersion));
    }
}
