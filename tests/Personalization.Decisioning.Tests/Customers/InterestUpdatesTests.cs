using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Features;
using Personalization.Decisioning.Rules;
using static Personalization.Decisioning.Tests.Customers.Events;

namespace Personalization.Decisioning.Tests.Customers;

public sealed class InterestUpdatesTests
{
    private static CustomerEvent View(DateTime at, string? product, string? category = null) =>
        Of(CustomerEventType.ProductView, at) with { ProductId = product, Category = category };

    private static CustomerEvent Search(DateTime at, string query) => Of(CustomerEventType.Search, at) with { Query = query };

    private static CustomerEvent Bought(DateTime at, params string[] products) =>
        Purchase(at, 10) with { Items = [.. products.Select(p => new LineItem(p, 1, 5))] };

    [Fact]
    public void InterestsStayNullUntilAnEventThatHasAny()
    {
        var state = Apply(Of(CustomerEventType.SessionStarted, T0), Purchase(T0, 5));

        Assert.Null(state.Interests);
    }

    [Fact]
    public void AViewMarksTheProductAndAddsToItsCategory()
    {
        var state = Apply(View(T0, "p1", "Candle Holders"));

        Assert.Equal([new ProductMark("p1", T0)], state.Interests!.RecentViews);
        Assert.Equal([new CategoryAffinity("candle-holders", 1, T0)], state.Interests.Categories);
    }

    [Fact]
    public void AffinityHalvesEveryHalfLife()
    {
        var state = Apply(View(T0, "p1", "mugs"));

        Assert.Equal(0.5, InterestUpdates.Affinity(state.Interests, "mugs", T0.AddDays(CustomerInterests.HalfLifeDays)), 10);
    }

    [Fact]
    public void ALateViewAddsItsDecayedWeightToTheLaterAffinity()
    {
        var state = Apply(View(T0.AddDays(30), "p1", "mugs"), View(T0, "p2", "mugs"));

        Assert.Equal(1.5, InterestUpdates.Affinity(state.Interests, "mugs", T0.AddDays(30)), 10);
        Assert.Equal(["p2", "p1"], state.Interests!.RecentViews.Select(v => v.Id));
    }

    [Fact]
    public void RecentViewsAreDistinctNewestLastAndBounded()
    {
        var events = Enumerable.Range(0, CustomerInterests.RecentViewsKept + 5).Select(i => View(T0.AddMinutes(i), $"p{i}")).Append(View(T0.AddHours(5), "p10"));

        var state = Apply([.. events]);

        Assert.Equal(CustomerInterests.RecentViewsKept, state.Interests!.RecentViews.Length);
        Assert.Equal("p10", state.Interests.RecentViews[^1].Id);
        Assert.Single(state.Interests.RecentViews, v => v.Id == "p10");
        Assert.DoesNotContain(state.Interests.RecentViews, v => v.Id == "p0");
    }

    [Fact]
    public void OnlyTheStrongestCategoriesAreKept()
    {
        var events = new List<CustomerEvent> { View(T0, "x", "favourite"), View(T0, "y", "favourite") };
        events.AddRange(Enumerable.Range(0, CustomerInterests.CategoriesKept + 3).Select(i => View(T0, null, $"c{i}")));

        var state = Apply([.. events]);

        Assert.Equal(CustomerInterests.CategoriesKept, state.Interests!.Categories.Length);
        Assert.Equal("favourite", InterestFeatures.Text(state.Interests, "top_category"));
    }

    [Fact]
    public void PurchasesAndSearchesAreRemembered()
    {
        var state = Apply(Bought(T0, "p1", "p2"), Search(T0, "  Tea Lights "));

        Assert.True(InterestUpdates.Bought(state.Interests, "p2"));
        Assert.Equal("tea lights", state.Interests!.Searches[0].Id);
    }

    [Fact]
    public void ADuplicateEventChangesNoInterest()
    {
        var view = View(T0, "p1", "mugs");

        var state = Apply(view, view);

        Assert.Equal(1, InterestUpdates.Affinity(state.Interests, "mugs", T0), 10);
    }

    [Fact]
    public void AVisitorsInterestsMergeIntoTheKnownCustomer()
    {
        var known = Apply(Bought(T0, "p1"));
        var visitor = Apply(View(T0.AddHours(1), "p2", "mugs"));

        CustomerEvents.Merge(known, visitor, "visitor");

        Assert.Equal(["p2"], known.Interests!.RecentViews.Select(v => v.Id));
        Assert.True(InterestUpdates.Bought(known.Interests, "p1"));
        Assert.Equal(1, InterestUpdates.Affinity(known.Interests, "mugs", T0.AddHours(1)), 10);
    }

    [Fact]
    public void RulesReadInterestsByName()
    {
        var state = Apply(View(T0, "85123A", "candle-holder"), Bought(T0, "p9"), Search(T0, "lantern"));

        Assert.True(RuleLanguage.Compile("affinity_candle_holder > 0.9 and top_category = 'candle-holder'").Matches(state, T0));
        Assert.True(RuleLanguage.Compile("viewed('85123A') and purchased(p9) and searched('Lantern') and recently_viewed = 1").Matches(state, T0));
        Assert.False(RuleLanguage.Compile("purchased('85123A') or affinity_mugs > 0").Matches(state, T0));
    }

    [Fact]
    public void FeaturesReadInterestsByName()
    {
        var state = Apply(View(T0, "p1", "mugs"), View(T0, "p2", "mugs"));

        Assert.Equal(2f, CustomerFeatures.Number(state, "affinity_mugs", T0));
        Assert.Equal(2f, CustomerFeatures.Number(state, "recently_viewed", T0));
        Assert.Equal("mugs", CustomerFeatures.Text(state, "top_category"));
        Assert.Equal("p2", CustomerFeatures.Text(state, "last_viewed_product"));
    }

    [Fact]
    public void AnInterestNumberComparedWithTextIsARuleError()
    {
        var error = RuleLanguage.Check("affinity_mugs = 'high'");

        Assert.NotNull(error);
        Assert.Contains("number", error.Message, StringComparison.Ordinal);
    }
}
