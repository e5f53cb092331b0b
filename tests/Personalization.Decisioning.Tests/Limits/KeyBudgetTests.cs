using Personalization.Decisioning.Limits;

namespace Personalization.Decisioning.Tests.Limits;

public sealed class KeyBudgetTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void ANewOwnerLendsTheBurstAtOnceAndThenNothing()
    {
        var budget = KeyBudget.Full(burst: 30, T0);

        var (first, afterFirst) = budget.Lend(100, T0, rate: 10, burst: 30);
        var (second, _) = afterFirst.Lend(100, T0, rate: 10, burst: 30);

        Assert.Equal(30, first);
        Assert.Equal(0, second);
    }

    [Fact]
    public void TheBucketRefillsAtTheRateAndNeverAboveTheBurst()
    {
        var (_, dry) = KeyBudget.Full(30, T0).Lend(30, T0, rate: 10, burst: 30);

        var (afterHalfASecond, _) = dry.Lend(100, T0.AddMilliseconds(500), 10, 30);
        var (afterAnHour, _) = dry.Lend(100, T0.AddHours(1), 10, 30);

        Assert.Equal(5, afterHalfASecond);
        Assert.Equal(30, afterAnHour);
    }

    [Fact]
    public void SilosAskingInTurnShareTheRateAndTogetherGetNoMoreThanBurstPlusRateTimesTime()
    {
        // Three silos ask every 10 ms for more than there is, for ten seconds.
        var budget = KeyBudget.Full(20, T0);
        var total = 0;
        var bySilo = new int[3];
        for (var tick = 0; tick < 1000; tick++)
        {
            var (granted, next) = budget.Lend(1000, T0.AddMilliseconds(tick * 10), rate: 200, burst: 20);
            budget = next;
            bySilo[tick % 3] += granted;
            total += granted;
        }

        Assert.InRange(total, 2_000, 20 + (200 * 10));
        Assert.All(bySilo, s => Assert.InRange(s, 600, 740));
    }

    [Fact]
    public void AGrantIsWholeTokensAndTheFractionStaysForLater()
    {
        var (_, dry) = KeyBudget.Full(1, T0).Lend(1, T0, rate: 1, burst: 3);

        var (early, kept) = dry.Lend(5, T0.AddMilliseconds(700), 1, 3);
        var (later, _) = kept.Lend(5, T0.AddMilliseconds(1100), 1, 3);

        Assert.Equal(0, early);
        Assert.Equal(1, later);
    }

    [Fact]
    public void ALowerLimitTakesEffectAtOnceByCappingTheTokensLeft()
    {
        var budget = KeyBudget.Full(1000, T0);

        var (granted, _) = budget.Lend(1000, T0.AddMilliseconds(1), rate: 50, burst: 10);

        Assert.Equal(10, granted);
    }

    [Theory]
    [InlineData(0, 0, 40, 40)]
    [InlineData(100, 1000, 40, 20)]
    [InlineData(1, 1000, 40, 1)]
    [InlineData(100_000, 1000, 40, 40)]
    [InlineData(10, 10, 40, 20)]
    public void ASiloAsksForTwoPeriodsOfItsRecentDemand(long attempts, int sinceMs, int burst, int expected)
    {
        Assert.Equal(expected, KeyBudget.Want(attempts, TimeSpan.FromMilliseconds(sinceMs), TimeSpan.FromMilliseconds(100), burst));
    }
}
