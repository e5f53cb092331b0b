using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Journeys;

namespace Personalization.Decisioning.Tests.Journeys;

/// <summary>Validation names the step and field of every problem; a valid journey has none.</summary>
public sealed class JourneyRulesTests
{
    private static List<string> Errors(JourneyDefinition journey) => [.. JourneyRules.Validate(journey).Select(e => e.ToString())];

    [Fact]
    public void TheCartJourneyIsValid() => Assert.Empty(Errors(JourneyStepsTests.Cart()));

    [Fact]
    public void AnUnknownStepIsNamedWithItsField()
    {
        var journey = JourneyStepsTests.Cart(new JourneyStep { Id = "w", Kind = JourneyStepKind.Wait, Duration = TimeSpan.FromHours(1), Next = "gone" });

        Assert.Equal(["journey.steps[0].wait.next: no step 'gone'."], Errors(journey));
    }

    [Fact]
    public void AStepNoPathReachesIsNamed()
    {
        var journey = JourneyStepsTests.Cart(
            new JourneyStep { Id = "w", Kind = JourneyStepKind.Wait, Duration = TimeSpan.FromHours(1) },
            new JourneyStep { Id = "orphan", Kind = JourneyStepKind.Send });

        Assert.Equal(["journey.steps[1]: step 'orphan' is not reached from the first step 'w'."], Errors(journey));
    }

    [Fact]
    public void ALoopWithNoWaitIsRefusedAndALoopWithAWaitIsNot()
    {
        var tight = JourneyStepsTests.Cart(
            new JourneyStep { Id = "b", Kind = JourneyStepKind.Branch, Rule = "cart_value > 1", Then = "s", Otherwise = "s" },
            new JourneyStep { Id = "s", Kind = JourneyStepKind.Send, Next = "b" });
        var paced = JourneyStepsTests.Cart(
            new JourneyStep { Id = "b", Kind = JourneyStepKind.Branch, Rule = "cart_value > 1", Then = "s", Otherwise = "s" },
            new JourneyStep { Id = "s", Kind = JourneyStepKind.Send, Next = "w" },
            new JourneyStep { Id = "w", Kind = JourneyStepKind.Wait, Duration = TimeSpan.FromDays(1), Next = "b" });

        Assert.Equal(["journey.steps[0]: step 'b' is on a loop with no wait; add a wait to the loop."], Errors(tight));
        Assert.Empty(Errors(paced));
    }

    [Fact]
    public void AWaitOverAYearAndARuleWithAnErrorAreNamedWithThePosition()
    {
        var journey = JourneyStepsTests.Cart(
            new JourneyStep { Id = "w", Kind = JourneyStepKind.Wait, Duration = TimeSpan.FromDays(366), Next = "b" },
            new JourneyStep { Id = "b", Kind = JourneyStepKind.Branch, Rule = "cart_value >", Then = "", Otherwise = "" });

        var errors = Errors(journey);

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("journey.steps[0].wait.duration: more than 0 and at most 365 days", errors[0]);
        Assert.StartsWith("journey.steps[1].branch.rule: at 1:", errors[1]);
    }

    [Fact]
    public void MissingEntryDuplicateIdsAndASendWithoutOffersAreNamed()
    {
        var journey = JourneyStepsTests.Cart(
            new JourneyStep { Id = "s", Kind = JourneyStepKind.Send, Next = "s2" },
            new JourneyStep { Id = "s", Kind = JourneyStepKind.Exit }) with { EntryEvent = CustomerEventType.Unspecified, OfferIds = [] };

        var errors = Errors(journey);

        Assert.Contains("journey.entry.event_type: is required: the event that enters a customer.", errors);
        Assert.Contains("journey.steps[1].id: 's' names two steps.", errors);
        Assert.Contains("journey.steps[0].send.offer_ids: a send step needs offers: its own or the journey's offer_ids.", errors);
    }
}
