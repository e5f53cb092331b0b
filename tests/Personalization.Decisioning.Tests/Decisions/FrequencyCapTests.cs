using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Tests.Customers;

namespace Personalization.Decisioning.Tests.Decisions;

/// <summary>
/// The global caps (<see cref="DecisionPolicy.MaxOutboundPerDay"/>, <see cref="DecisionPolicy.MaxPerChannelPerWeek"/>)
/// hold over every send the customer received, whatever decided it, however many decisions come between.
/// </summary>
public sealed class FrequencyCapTests
{
    private static Gen<CapStep> Steps(params CapStepKind[] kinds) =>
        from kind in Gen.Elements(kinds)
        from value in kind switch
        {
            CapStepKind.Inbound => Gen.Frequency((3, Gen.Choose(1, 20)), (1, Gen.Choose(100, 1_000))),
            CapStepKind.Outbound or CapStepKind.Campaign or CapStepKind.CampaignWaivingCaps => Gen.Choose(1, 3),
            CapStepKind.Wait => Gen.Choose(1, 3 * 24 * 60),
            _ => Gen.Choose(0, 1_000),
        }
        select new CapStep(kind, value);

    private static Arbitrary<CapStep[]> Lives(params CapStepKind[] kinds) =>
        Gen.Choose(1, 40).SelectMany(n => Gen.ArrayOf(Steps(kinds), n)).ToArbitrary();

    [Property(MaxTest = 150)]
    public Property CapsHoldOverAnyMixOfDecisionsAndReportedSends() =>
        Prop.ForAll(Lives(Enum.GetValues<CapStepKind>()), steps =>
        {
            var customer = new CapSimulation();

            customer.Run(steps);

            return customer.Violations.Count == 0;
        });

    [Property(MaxTest = 150)]
    public Property CapsHoldWhenTheWeeksSendsWereReportedOnlyAsMessageSent() =>
        Prop.ForAll(Lives(CapStepKind.Reported, CapStepKind.Reported, CapStepKind.Wait, CapStepKind.Inbound), Gen.Choose(1, 3).ToArbitrary(), (steps, actions) =>
        {
            var customer = new CapSimulation();
            customer.Run(steps);

            customer.Outbound(actions);
            customer.Campaign(actions, respectCaps: true);

            return customer.Violations.Count == 0;
        });

    [Fact]
    public void AThousandInboundDecisionsBetweenTwoOutboundOnesEvictNoSend()
    {
        var customer = new CapSimulation();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Channel.Email, Assert.Single(customer.Outbound(1, Channel.Email).Actions).Channel);
            customer.Wait(TimeSpan.FromDays(2));
        }

        customer.Inbound(1_000);
        var result = customer.Outbound(1, Channel.Email);

        Assert.Empty(result.Actions);
        Assert.Contains(result.Suppressions, s => s.EndsWith("email skipped: 3 of 3 this week", StringComparison.Ordinal));
        Assert.Empty(customer.Violations);
    }

    [Fact]
    public void SendsReportedOnlyAsMessageSentFillTheWeeklyCap()
    {
        var customer = new CapSimulation();
        customer.Report(Channel.Sms, CapSimulation.Start.AddDays(-6));
        customer.Report(Channel.Sms, CapSimulation.Start.AddDays(-4));
        customer.Report(Channel.Sms, CapSimulation.Start.AddDays(-2));

        var result = customer.Outbound(1, Channel.Sms);

        Assert.Empty(result.Actions);
        Assert.Contains(result.Suppressions, s => s.EndsWith("SMS skipped: 3 of 3 this week", StringComparison.Ordinal));
    }

    [Fact]
    public void SendsReportedOnlyAsMessageSentFillTheDailyCap()
    {
        var customer = new CapSimulation();
        customer.Report(Channel.Email, CapSimulation.Start.AddHours(-20));
        customer.Report(Channel.Push, CapSimulation.Start.AddHours(-10));
        customer.Report(Channel.InApp, CapSimulation.Start.AddHours(-1));

        var result = customer.Outbound(3);

        Assert.Empty(result.Actions);
        Assert.Contains(result.Suppressions, s => s.EndsWith("skipped: 3 of 3 today", StringComparison.Ordinal));
    }

    [Fact]
    public void AConnectorsReportOfTheServicesOwnSendDoesNotCountItTwice()
    {
        var customer = new CapSimulation();
        var action = Assert.Single(customer.Outbound(1, Channel.Email).Actions);
        var decisionId = customer.State.Decisions[^1].DecisionId;
        customer.Wait(TimeSpan.FromDays(1));

        CustomerEvents.Apply(customer.State, Events.Sent(Channel.Email, action.SendAt) with { DecisionId = decisionId, OfferId = action.Offer.OfferId });
        var once = SendHistory.Count(customer.State, Channel.Email, TimeSpan.FromDays(7), customer.Now);
        CustomerEvents.Apply(customer.State, Events.Sent(Channel.Email, customer.Now));
        var twice = SendHistory.Count(customer.State, Channel.Email, TimeSpan.FromDays(7), customer.Now);

        Assert.Equal((1, 2), (once, twice));
    }

    [Fact]
    public void OneOutboundDecisionsActionsFitUnderTheCapsTogether()
    {
        var customer = new CapSimulation();
        customer.Report(Channel.Email, CapSimulation.Start.AddHours(-3));
        customer.Report(Channel.Sms, CapSimulation.Start.AddHours(-2));

        var result = customer.Outbound(3);

        Assert.Single(result.Actions);
        Assert.Contains(result.Suppressions, s => s.Contains("caps are full with this decision's other actions", StringComparison.Ordinal));
        Assert.Empty(customer.Violations);
    }
}
