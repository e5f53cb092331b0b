using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Offers;

/// <summary>Leased blocks of a counted budget: never more than is left, small near the end, and in simulation never over-admitting.</summary>
public sealed class OfferBudgetLeasesTests
{
    [Theory]
    [InlineData(1000, 64, 64)]
    [InlineData(1000, 200, 125)] // an eighth of what is left at most
    [InlineData(40, 64, 5)]
    [InlineData(7, 64, 1)] // at least one while any is left
    [InlineData(1, 64, 1)]
    [InlineData(0, 64, 0)]
    [InlineData(-3, 64, 0)]
    [InlineData(1000, 0, 0)]
    public void ABlockIsWhatWasAskedForUpToAnEighthOfWhatIsLeft(long left, long wanted, long block) =>
        Assert.Equal(block, OfferBudgetLeases.Block(left, wanted));

    [Fact]
    public void ASiloAsksForTwiceItsLastBlockUpToTheMaximum()
    {
        Assert.Equal(1, OfferBudgetLeases.NextWanted(0));
        Assert.Equal([2L, 4, 8, 16, 32, 64, 64], new long[] { 1, 2, 4, 8, 16, 32, 64 }.Select(OfferBudgetLeases.NextWanted));
        Assert.Equal(6, OfferBudgetLeases.NextWanted(3));
    }

    [Fact]
    public void SilosLeasingAtRandomNeverAdmitMoreThanTheLimitAndStrandLittle()
    {
        // Simulation: 2 to 5 silos, random demand per silo, random limits; each silo takes from its lease and asks
        // for a block when it is empty, as OfferBudgets does.
        var random = new Random(11);
        for (var round = 0; round < 2000; round++)
        {
            var silos = random.Next(2, 6);
            var limit = random.Next(1, 2000);
            var spent = 0L;
            var admitted = 0L;
            var left = new long[silos];
            var last = new long[silos];
            var demand = Enumerable.Range(0, silos).Select(_ => random.Next(0, 1500)).ToArray();
            while (demand.Any(d => d > 0))
            {
                var silo = random.Next(silos);
                if (demand[silo] == 0)
                {
                    continue;
                }

                demand[silo]--;
                if (left[silo] == 0)
                {
                    var block = OfferBudgetLeases.Block(limit - spent, OfferBudgetLeases.NextWanted(last[silo]));
                    if (block == 0)
                    {
                        continue; // refused: the silo would remember the budget spent
                    }

                    spent += block;
                    last[silo] = block;
                    left[silo] = block;
                }

                left[silo]--;
                admitted++;
            }

            Assert.True(spent <= limit, $"round {round}: {spent} granted of {limit}");
            Assert.Equal(spent, admitted + left.Sum());
            Assert.True(left.Sum() <= silos * OfferBudgetLeases.MaxBlock);
        }
    }
}
