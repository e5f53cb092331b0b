using Grpc.Core;
using Personalization.Decisioning.Decisions;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;
using DecisionMode = Personalization.V1.DecisionMode;
using Outcome = Personalization.V1.Outcome;
using Value = Personalization.V1.Value;

namespace Personalization.Server.Tests;

/// <summary>DecisionService over real gRPC: decide, record outcomes, read them back in the profile.</summary>
[Collection(ServerCollection.Name)]
public sealed class DecisionServiceTests(ServerEnvironment environment)
{
    private readonly DecisionService.DecisionServiceClient _decisions = new(environment.Shared.Channel);
    private readonly EventService.EventServiceClient _events = new(environment.Shared.Channel);
    private readonly OfferService.OfferServiceClient _offers = new(environment.Shared.Channel);
    private readonly ProfileService.ProfileServiceClient _profiles = new(environment.Shared.Channel);

    [Fact]
    public async Task AHeldOutCustomerGetsNoActionAndIsToldWhy()
    {
        string id;
        do
        {
            id = NewCustomer();
        }
        while (!DecisionEngine.InHoldout(id, new DecisionPolicy()));

        var decision = await _decisions.DecideAsync(new DecideRequest { CustomerId = id, Context = new DecisionContext { Mode = DecisionMode.Inbound } });

        Assert.Equal("holdout", decision.ExperimentArm);
        Assert.Empty(decision.Actions);
        Assert.Equal("holdout: customer is in the 5% control group", Assert.Single(decision.Suppressions));
    }

    private async Task<string> CreateOfferAsync(OfferType type, double value, params Channel[] channels)
    {
        var offer = new Offer { OfferId = $"o-{Guid.NewGuid():N}", Name = $"{type} {value}", Type = type, Value = value, Reward = 5, Difficulty = 20, DurationDays = 7 };
        offer.Channels.AddRange(channels);
        await _offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        return offer.OfferId;
    }

    private static DecisionContext Context(DecisionMode mode, int max, IEnumerable<string> offers, params Channel[] channels)
    {
        var context = new DecisionContext { Mode = mode, MaxActions = max };
        context.OfferIds.AddRange(offers);
        context.Channels.AddRange(channels);
        return context;
    }

    [Fact]
    public async Task DecideRecordOutcomesAndReadThemBackInTheProfile()
    {
        var c = TestCustomers.Treated();
        var offerA = await CreateOfferAsync(OfferType.Discount, 10, Channel.Web, Channel.Email);
        var offerB = await CreateOfferAsync(OfferType.Bogo, 5, Channel.Web);
        await _events.TrackBatchAsync(Batch(
            Ev.Traits(c, DateTime.UtcNow, ("age", new Value { IntValue = 35 }), ("income", new Value { DoubleValue = 80000 }), ("gender", new Value { StringValue = "F" })),
            Ev.Session(c, DateTime.UtcNow)));

        var decision = await _decisions.DecideAsync(new DecideRequest { CustomerId = c, Context = Context(DecisionMode.Inbound, 2, [offerA, offerB], Channel.Web) });
        var top = decision.Actions[0];
        var shown = await _decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = c, DecisionId = decision.DecisionId, OfferId = top.OfferId, Outcome = Outcome.Shown });
        var clicked = await _decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = c, DecisionId = decision.DecisionId, OfferId = top.OfferId, Outcome = Outcome.Clicked });
        var again = await _decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = c, DecisionId = decision.DecisionId, OfferId = top.OfferId, Outcome = Outcome.Clicked });
        var profile = await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = c });

        Assert.Equal("champion", decision.ExperimentArm);
        Assert.Equal(2, decision.Actions.Count);
        Assert.Equal([1, 2], decision.Actions.Select(a => a.Rank));
        Assert.All(decision.Actions, a => Assert.Equal(Channel.Web, a.Channel));
        Assert.StartsWith("offer-", top.Scores.OfferModelVersion);
        Assert.StartsWith("churn-", top.Scores.ChurnModelVersion);
        Assert.InRange(top.Scores.Acceptance, 0, 1);
        Assert.NotEmpty(top.Reasons);
        Assert.True(shown.Applied);
        Assert.True(clicked.Applied);
        Assert.False(again.Applied);
        var recorded = profile.RecentDecisions.First(d => d.OfferId == top.OfferId);
        Assert.Equal(decision.DecisionId, recorded.DecisionId);
        Assert.Equal("clicked", recorded.Outcome);
        Assert.Equal(1, profile.Engagement.Single(e => e.Channel == Channel.Web).Clicked);
    }

    [Fact]
    public async Task OutboundPicksAConsentedChannelAndAnHourOutsideQuietHours()
    {
        var c = TestCustomers.Treated();
        var offer = await CreateOfferAsync(OfferType.Discount, 10, Channel.Email, Channel.Sms);
        await _events.TrackBatchAsync(Batch(Ev.Consent(c, EventType.ConsentGranted, Channel.Sms, DateTime.UtcNow.AddDays(-1))));

        var decision = await _decisions.DecideAsync(new DecideRequest { CustomerId = c, Context = Context(DecisionMode.Outbound, 1, [offer]) });

        var action = Assert.Single(decision.Actions);
        Assert.Equal(Channel.Sms, action.Channel);
        Assert.Contains($"{offer}: email skipped: no consent", decision.Suppressions);
        Assert.InRange(action.SendAt.ToDateTime().Hour, 8, 20); // no time zone: UTC, outside 21:00-08:00
        Assert.True(action.SendAt.ToDateTime() > DateTime.UtcNow);
    }

    [Fact]
    public async Task AnUnknownCustomerIsDecidedWithPriors()
    {
        var offer = await CreateOfferAsync(OfferType.Informational, 1, Channel.Web);

        var decision = await _decisions.DecideAsync(new DecideRequest { CustomerId = NewCustomer(), Context = Context(DecisionMode.Inbound, 1, [offer], Channel.Web) });

        Assert.NotEmpty(decision.DecisionId);
        Assert.True(decision.ExperimentArm is "champion" or "holdout");
    }

    [Fact]
    public async Task BadRequestsGetClearStatuses()
    {
        var c = NewCustomer();
        var offer = await CreateOfferAsync(OfferType.Discount, 10, Channel.Web);

        var tooMany = await Assert.ThrowsAsync<RpcException>(async () => await _decisions.DecideAsync(new DecideRequest { CustomerId = c, Context = Context(DecisionMode.Inbound, 50, []) }));
        var negative = await Assert.ThrowsAsync<RpcException>(async () => await _decisions.DecideAsync(new DecideRequest { CustomerId = c, Context = Context(DecisionMode.Inbound, -1, []) }));
        var unknownOffer = await Assert.ThrowsAsync<RpcException>(async () => await _decisions.DecideAsync(new DecideRequest { CustomerId = c, Context = Context(DecisionMode.Inbound, 1, [offer, "no-such-offer"]) }));
        var noCustomer = await Assert.ThrowsAsync<RpcException>(async () => await _decisions.DecideAsync(new DecideRequest()));
        var unknownDecision = await Assert.ThrowsAsync<RpcException>(async () => await _decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = c, DecisionId = "d-1-x", OfferId = offer, Outcome = Outcome.Shown }));
        var noOutcome = await Assert.ThrowsAsync<RpcException>(async () => await _decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = c, DecisionId = "d-1-x", OfferId = offer }));

        Assert.Equal((StatusCode.InvalidArgument, "context.max_actions: between 1 and 10, got 50."), (tooMany.StatusCode, tooMany.Status.Detail));
        Assert.Equal(StatusCode.InvalidArgument, negative.StatusCode);
        Assert.Equal((StatusCode.NotFound, "context.offer_ids: no live offer 'no-such-offer'."), (unknownOffer.StatusCode, unknownOffer.Status.Detail));
        Assert.Equal(StatusCode.InvalidArgument, noCustomer.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknownDecision.StatusCode);
        Assert.StartsWith("decision_id:", unknownDecision.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, noOutcome.StatusCode);
    }
}
