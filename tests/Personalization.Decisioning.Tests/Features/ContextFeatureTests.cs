using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Features;

namespace Personalization.Decisioning.Tests.Features;

public sealed class ContextFeatureTests
{
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private static readonly PlacementContext Phone = new("home-hero", "/", "p-7", "mobile", new DateTime(2026, 11, 16, 20, 15, 0), new Dictionary<string, TraitValue> { ["cart_value"] = TraitValue.Of(42.5) });

    [Fact]
    public void ModelFeaturesReadTheRequestByName()
    {
        var state = new CustomerState();

        Assert.Equal(("mobile", "home-hero", "p-7"), (CustomerFeatures.Text(state, "context_device", context: Phone), CustomerFeatures.Text(state, "context_placement", context: Phone), CustomerFeatures.Text(state, "context_product_id", context: Phone)));
        Assert.Equal((20f, 1f, 42.5f), (CustomerFeatures.Number(state, "context_local_hour", Now, context: Phone), CustomerFeatures.Number(state, "context_local_weekday", Now, context: Phone), CustomerFeatures.Number(state, "context_attr_cart_value", Now, context: Phone)));
    }

    [Fact]
    public void OutsideARequestContextFeaturesAreMissing()
    {
        Assert.True(float.IsNaN(CustomerFeatures.Number(new CustomerState(), "context_local_hour", Now)));
        Assert.Equal("", CustomerFeatures.Text(new CustomerState(), "context_device"));
    }

    [Fact]
    public void AnUnknownContextFeatureOrAWrongTypeIsAProblem()
    {
        Assert.StartsWith("feature 'context_screen': no such context value", CustomerFeatures.Problem(new FeatureSpec("context_screen", FeatureType.String), offerModel: true));
        Assert.NotNull(CustomerFeatures.Problem(new FeatureSpec("context_device", FeatureType.Float), offerModel: true));
        Assert.Null(CustomerFeatures.Problem(new FeatureSpec("context_local_hour", FeatureType.Float), offerModel: true));
    }
}
