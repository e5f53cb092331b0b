using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Offers;
using Outcome = Personalization.Decisioning.Decisions.Outcome;

namespace Personalization.Decisioning.Tests.Customers;

/// <summary>
/// Replaying the change log rebuilds the customer: the changes the live path logged, serialized as
/// the log stores them and replayed in order on the snapshot taken before them, give the same state.
/// </summary>
public sealed class CustomerChangesTests
{
    private static readonly DateTime T0 = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DecisionPolicy Policy = new() { HoldoutShare = 0, ExplorationShare = 0.2 };
    private static readonly Channel[] Sendable = [Channel.Email, Channel.Sms, Channel.Push];

    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(CustomerState).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    private static readonly ScoredOffer[] Offers =
    [
        .. Enumerable.Range(0, 6).Select(i => new ScoredOffer(
            new Offer { OfferId = $"o{i}", Name = $"o{i}", Type = OfferType.Discount, Value = 5 + i, Channels = [Channel.Web, Sendable[i % 3]] },
            0.1 + (i * 0.05), 20, 3)),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void ReplayingTheLoggedChangesOnTheSnapshotGivesTheLiveState(int seed)
    {
        var live = new Live();
        var random = new Random(seed);
        for (var step = 0; step < 60; step++)
        {
            live.Step(random);
            if (step == 10)
            {
                live.Snapshot();
            }
        }

        var replayed = Serializer.Deserialize<CustomerState>(live.SnapshotBytes!)!;
        foreach (var change in live.Logged)
        {
            CustomerChanges.Replay(replayed, Serializer.Deserialize<CustomerChange>(change)!);
        }

        Assert.Equal(Json(live.State), Json(replayed));
        Assert.Contains(live.Logged, c => Serializer.Deserialize<CustomerChange>(c) is DecisionMade { Mark: not null });
        Assert.Contains(live.State.Campaigns, m => m.Variant > 0);
        Assert.Contains(live.Logged, c => Serializer.Deserialize<CustomerChange>(c) is OutcomeRecorded);
        Assert.Contains(live.Logged, c => Serializer.Deserialize<CustomerChange>(c) is JourneyAdvanced);
    }

    private static string Json(CustomerState state) => JsonSerializer.Serialize(state);

    // A cart journey with every kind of step, so replays cover entries, waits, sends, timeouts and exits.
    private static readonly JourneySnapshot Journeys = new(
        1,
        new Dictionary<string, JourneyStatus> { ["cart"] = JourneyStatus.Active },
        [new JourneyDefinition
        {
            JourneyId = "cart",
            Version = 1,
            Name = "cart",
            EntryEvent = CustomerEventType.AddToCart,
            ReEntry = ReEntryPolicy.AfterExit,
            OfferIds = ["o0", "o1", "o2"],
            ExitEvents = [CustomerEventType.Purchase],
            Steps =
            [
                new() { Id = "wait", Kind = JourneyStepKind.Wait, Duration = TimeSpan.FromHours(3), Next = "remind" },
                new() { Id = "remind", Kind = JourneyStepKind.Send, Next = "await" },
                new() { Id = "await", Kind = JourneyStepKind.WaitForEvent, EventType = CustomerEventType.PageView, Timeout = TimeSpan.FromDays(1), OnEvent = "viewed", OnTimeout = "nudge" },
                new() { Id = "viewed", Kind = JourneyStepKind.Branch, Rule = "consented(email)", Then = "nudge", Otherwise = "" },
                new() { Id = "nudge", Kind = JourneyStepKind.Send },
            ],
        }]);

    // The live path of a customer grain, keeping what it would log after the snapshot.
    private sealed class Live
    {
        private int _events;
        private int _campaigns;

        // Membership is not logged (it is re-evaluated after a replay): a member from the start.
        public CustomerState State { get; } = new() { Segments = { ["all"] = 1 } };

        public DateTime Now { get; private set; } = T0;

        public byte[]? SnapshotBytes { get; private set; }

        public List<byte[]> Logged { get; } = [];

        public void Snapshot()
        {
            SnapshotBytes = Serializer.SerializeToArray(State);
            Logged.Clear();
        }

        public void Step(Random random)
        {
            Now = Now.AddMinutes(random.Next(1, 600));
            switch (random.Next(8))
            {
                case 6:
                    Event(CustomerEventType.AddToCart, Channel.Web, amount: 30);
                    break;
                case 7:
                    Log(JourneySteps.Wake(State, "c1", Journeys, Policy, Send, Now));
                    break;
                case 0:
                    Event(CustomerEventType.PageView, Channel.Web);
                    break;
                case 1:
                    Event(CustomerEventType.ConsentGranted, Sendable[random.Next(3)]);
                    break;
                case 2:
                    Event(CustomerEventType.Purchase, Channel.Web, amount: 20 + random.Next(50));
                    break;
                case 3:
                    Decide(random.Next(2) == 0 ? DecisionMode.Inbound : DecisionMode.Outbound);
                    break;
                case 4:
                    Campaign();
                    break;
                default:
                    Outcome(random);
                    break;
            }
        }

        private void Event(CustomerEventType type, Channel channel, double amount = 0)
        {
            var e = new CustomerEvent
            {
                EventId = $"e{++_events}",
                CustomerId = "c1",
                Type = type,
                Channel = channel,
                OccurredAt = Now,
                Amount = type == CustomerEventType.Purchase ? amount : 0,
                Items = type == CustomerEventType.AddToCart ? [new LineItem("p1", 1, amount)] : null,
            };
            if (CustomerEvents.Apply(State, e) == ApplyOutcome.Applied)
            {
                if (type == CustomerEventType.Purchase)
                {
                    CampaignDecisions.AttributePurchase(State, Now, amount);
                }

                Log(new EventApplied(e));
                Log(JourneySteps.OnEvent(State, "c1", e, Journeys, Policy, Send, Now));
            }
        }

        private JourneySendResult Send(JourneyDefinition journey, JourneyStep step, Enrollment enrollment, DateTime now) =>
            JourneySends.Decide("c1", State, journey, step, enrollment, Offers, 0.2, Policy, "offer-1", now);

        private void Log(JourneyRun run) => run.Changes.ForEach(Log);

        private void Decide(DecisionMode mode)
        {
            var number = ++State.DecisionCount;
            var channels = mode == DecisionMode.Inbound ? new[] { Channel.Web } : Sendable;
            var result = DecisionEngine.Decide("c1", State, Offers, 0.2, new DecisionRequest(mode, [.. channels], 2, []), Policy, number, Now);
            DecisionMemory.Remember(State, $"d-{number}", result, mode, "offer-1", Now);
            Log(new DecisionMade(State.Decisions.FindAll(d => d.DecisionId == $"d-{number}"), State.DecisionCount, null, Now));
        }

        private void Campaign()
        {
            // Every other campaign runs an experiment, so marks carry variants (and, past the first few, an auto-winner).
            var campaignNumber = ++_campaigns;
            var campaign = new CampaignDefinition { CampaignId = $"camp-{campaignNumber}", Name = "c", Segment = "all", MaxPerCustomer = 1, RespectGlobalCaps = true };
            if (campaignNumber % 2 == 0)
            {
                campaign = campaign with
                {
                    Variants = [new() { Name = "a", Weight = 0.5, OfferIds = ["o1", "o2"] }, new() { Name = "b", Weight = 0.5, Channels = [Channel.Sms] }],
                    Winner = campaignNumber > 4 ? 1 : null,
                };
            }

            var number = ++State.DecisionCount;
            CampaignDecisions.Decide("c1", State, campaign, Offers, 0.2, Policy, $"c-{number}", "offer-1", Now);
            Log(new DecisionMade(State.Decisions.FindAll(d => d.DecisionId == $"c-{number}"), State.DecisionCount, CampaignDecisions.Earlier(State, campaign.CampaignId), Now));
        }

        private void Outcome(Random random)
        {
            if (State.Decisions.Count == 0)
            {
                return;
            }

            var decision = State.Decisions[random.Next(State.Decisions.Count)];
            var outcome = (Outcome)random.Next(1, 5);
            if (DecisionMemory.Record(State, decision.DecisionId, decision.OfferId, outcome, 12, Now).Status == OutcomeStatus.Applied)
            {
                Log(new OutcomeRecorded(decision.DecisionId, decision.OfferId, outcome, 12, Now));
            }
        }

        private void Log(CustomerChange change) => Logged.Add(Serializer.SerializeToArray(change));
    }
}
