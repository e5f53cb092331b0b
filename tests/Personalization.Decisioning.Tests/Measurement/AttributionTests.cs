using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Measurement;

namespace Personalization.Decisioning.Tests.Measurement;

/// <summary>Each model's credits on a hand-computed mixed path; shares sum to 1 and values to the conversion's value, whatever the path.</summary>
public sealed class AttributionTests
{
    private static readonly DateTime Start = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly AttributionSettings Settings = new(WindowDays: 14, HalfLifeDays: 7);

    // Campaign A: an email sent on day 0 and opened on day 1; campaign B: an SMS delivered on day 5 and a push clicked on day 8.
    private static readonly Touch[] MixedPath =
    [
        new(Start, TouchKind.Sent, Channel.Email, "A", null, "offer-a"),
        new(Start.AddDays(1), TouchKind.Opened, Channel.Email, "A", null, "offer-a"),
        new(Start.AddDays(5), TouchKind.Delivered, Channel.Sms, "B", null, "offer-b"),
        new(Start.AddDays(8), TouchKind.Clicked, Channel.Push, "B", null, "offer-b"),
    ];

    private static readonly DateTime Conversion = Start.AddDays(10);

    [Theory]
    [InlineData(AttributionModel.LastTouch, new long[] { 0, 0, 0, 10_000 })]
    [InlineData(AttributionModel.FirstTouch, new long[] { 10_000, 0, 0, 0 })]
    [InlineData(AttributionModel.Linear, new long[] { 2_500, 2_500, 2_500, 2_500 })]
    [InlineData(AttributionModel.PositionBased, new long[] { 4_000, 1_000, 1_000, 4_000 })]
    // Weights 2^(-age/7) for ages 10, 9, 5, 2 days: shares .16798, .18547, .27561, .37094 of 10,000 cents, the two cents left to the largest remainders.
    [InlineData(AttributionModel.TimeDecay, new long[] { 1_680, 1_855, 2_756, 3_709 })]
    public void EachModelCreditsTheMixedPathAsComputedByHand(AttributionModel model, long[] cents)
    {
        var credits = Attribution.Credit(MixedPath, Conversion, 100.00, null, model, Settings);

        Assert.Equal(cents, credits.Select(c => c.ValueCents));
        Assert.Equal(10_000, credits.Sum(c => c.ValueCents));
    }

    [Fact]
    public void OverlappingCampaignsSplitOneConversionInsteadOfEachTakingAllOfIt()
    {
        var credits = Attribution.Credit(MixedPath, Conversion, 100.00, null, AttributionModel.Linear, Settings);

        var byCampaign = credits.GroupBy(c => c.Touch.CampaignId).ToDictionary(g => g.Key!, g => (Share: g.Sum(c => c.Share), Value: g.Sum(c => c.Value)));
        Assert.Equal(0.5, byCampaign["A"].Share, 12);
        Assert.Equal(0.5, byCampaign["B"].Share, 12);
        Assert.Equal(100.00, byCampaign["A"].Value + byCampaign["B"].Value, 9);
    }

    [Fact]
    public void TouchesOutsideTheWindowOrAfterTheConversionTakeNoCredit()
    {
        Touch[] touches = [new(Start.AddDays(-15), TouchKind.Clicked, Channel.Email, "old", null, null), .. MixedPath, new(Conversion.AddMinutes(1), TouchKind.Clicked, Channel.Email, "later", null, null)];

        var credits = Attribution.Credit(touches, Conversion, 100, null, AttributionModel.Linear, Settings);

        Assert.Equal(4, credits.Count);
        Assert.DoesNotContain(credits, c => c.Touch.CampaignId is "old" or "later");
    }

    [Fact]
    public void APurchaseThatRedeemedAnOfferCreditsOnlyTheTouchesThatCarriedIt()
    {
        var credits = Attribution.Credit(MixedPath, Conversion, 50, "offer-a", AttributionModel.LastTouch, Settings);

        var credited = Assert.Single(credits, c => c.ValueCents > 0);
        Assert.Equal("A", credited.Touch.CampaignId);
        Assert.Equal(TouchKind.Opened, credited.Touch.Kind);
    }

    [Fact]
    public void AConversionWithNoTouchInTheWindowIsCreditedToNothing()
    {
        Assert.Empty(Attribution.Credit([], Conversion, 100, null, AttributionModel.Linear, Settings));
        Assert.Empty(Attribution.Credit(null, Conversion, 100, null, AttributionModel.TimeDecay, Settings));
    }

    [Fact]
    public void ACentThatDoesNotDivideGoesToTheLaterTouch()
    {
        Assert.Equal([33, 33, 34], Attribution.Split(100, [1 / 3.0, 1 / 3.0, 1 / 3.0]));
    }

    [Theory]
    [InlineData(0.5, 7)]
    [InlineData(31, 7)]
    [InlineData(14, 0)]
    [InlineData(double.NaN, 7)]
    public void AWindowOrHalfLifeOutOfRangeIsNamed(double window, double halfLife)
    {
        var errors = new AttributionSettings(window, halfLife).Errors().ToList();

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Contains(e.Field, new[] { "window_days", "half_life_days" }));
    }

    private static Gen<Touch[]> Paths() =>
        Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(
            from minutes in Gen.Choose(0, 20 * 24 * 60)
            from kind in Gen.Elements(TouchKind.Sent, TouchKind.Delivered, TouchKind.Opened, TouchKind.Clicked)
            from campaign in Gen.Elements("a", "b", "c")
            from offer in Gen.Elements("o1", "o2", "o3")
            select new Touch(Start.AddMinutes(minutes), kind, Channel.Email, campaign, null, offer),
            n));

    private static Gen<(AttributionModel Model, string? Offer)> Conversions() =>
        from model in Gen.Elements(Attribution.Models)
        from offer in Gen.Elements<string?>(null, "o1", "o9")
        select (model, offer);

    [Property(MaxTest = 500)]
    public Property EveryModelsCreditsOfOneConversionSumToOneAndToItsValueExactly() =>
        Prop.ForAll(Paths().ToArbitrary(), Gen.Choose(0, 10_000_000).ToArbitrary(), Conversions().ToArbitrary(), (path, cents, conversion) =>
        {
            var (model, offer) = conversion;
            var at = Start.AddDays(20);
            var value = cents / 100.0;

            var credits = Attribution.Credit(path, at, value, offer, model, Settings);

            var anyInWindow = path.Any(t => t.At <= at && at - t.At <= Settings.Window);
            return credits.Count == 0
                ? !anyInWindow
                : Math.Abs(credits.Sum(c => c.Share) - 1) < 1e-9 && credits.Sum(c => c.ValueCents) == cents && credits.All(c => c.ValueCents >= 0 && c.Share >= 0);
        });
}
