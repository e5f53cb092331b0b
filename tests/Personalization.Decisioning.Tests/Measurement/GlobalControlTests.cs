using Personalization.Decisioning.Measurement;

namespace Personalization.Decisioning.Tests.Measurement;

public sealed class GlobalControlTests
{
    private static readonly List<string> Ids = [.. Enumerable.Range(0, 20_000).Select(i => $"customer-{i:000000}")];

    [Fact]
    public void TheGlobalControlIsStableAndCloseToItsShare()
    {
        var held = Ids.Where(id => GlobalControl.IsHeldOut(id, "2026", 0.05)).ToList();

        Assert.InRange(held.Count, 900, 1_100);
        Assert.All(held, id => Assert.True(GlobalControl.IsHeldOut(id, "2026", 0.05)));
        Assert.DoesNotContain(Ids, id => GlobalControl.IsHeldOut(id, "2026", 0));
    }

    [Fact]
    public void ANewSaltRedrawsTheGroup()
    {
        var before = Ids.Where(id => GlobalControl.IsHeldOut(id, "2026", 0.1)).ToHashSet();

        var after = Ids.Where(id => GlobalControl.IsHeldOut(id, "2027", 0.1)).ToList();

        Assert.InRange(after.Count(before.Contains), 100, 300); // independent draws: about 1% in both
    }
}
