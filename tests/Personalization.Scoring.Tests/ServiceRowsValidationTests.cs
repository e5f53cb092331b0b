using Personalization.Decisioning.Features;
using Personalization.Scoring.Bundles;

namespace Personalization.Scoring.Tests;

/// <summary>The service's own rows as a validation set: unlabelled rows left out, and the row and class counts that decide whether they can measure a model.</summary>
public sealed class ServiceRowsValidationTests
{
    private static readonly List<FeatureSpec> Features = [new("offer_reward", FeatureType.Float)];

    private static readonly string[] Header = ["customer_id", "offer_reward", "outcome", "accepted"];

    [Fact]
    public void ServiceRowsWithoutALabelAreLeftOutAndTheSetIsNamedByItsSource()
    {
        IReadOnlyList<string>[] rows = [["c1", "10", "clicked", "1"], ["c2", "2", "", "0"], ["c3", "5", "", ""]];

        var set = ValidationSet.FromRows("the service's offer rows", Header, rows, Features, "accepted", ModelOutputKind.Probability);

        Assert.Equal("the service's offer rows", set.Source);
        Assert.Equal([1d, 0d], set.Labels);
        Assert.Equal(1, set.Positives);
    }

    [Fact]
    public void AServiceRowWithABadLabelIsRefusedNamingTheSourceAndTheLine()
    {
        IReadOnlyList<string>[] rows = [["c1", "10", "clicked", "1"], ["c2", "2", "", "yes"]];

        var error = Assert.Throws<InvalidModelBundleException>(() => ValidationSet.FromRows("the service's offer rows", Header, rows, Features, "accepted", ModelOutputKind.Probability));

        Assert.Equal("the service's offer rows line 3: label 'yes' is not 0 or 1", error.Message);
    }

    public static TheoryData<int, int, ModelOutputKind, string?> Counts => new()
    {
        { 0, 0, ModelOutputKind.Probability, "0 labelled rows; at least 20 are needed to measure the model" },
        { 19, 9, ModelOutputKind.Probability, "19 labelled rows; at least 20 are needed to measure the model" },
        { 40, 0, ModelOutputKind.Probability, "40 labelled rows with 0 positives and 40 negatives; at least 5 of each class are needed to measure AUC" },
        { 40, 4, ModelOutputKind.Probability, "40 labelled rows with 4 positives and 36 negatives; at least 5 of each class are needed to measure AUC" },
        { 40, 36, ModelOutputKind.Probability, "40 labelled rows with 36 positives and 4 negatives; at least 5 of each class are needed to measure AUC" },
        { 40, 5, ModelOutputKind.Probability, null },
        { 20, 0, ModelOutputKind.Value, null },
        { 19, 0, ModelOutputKind.Value, "19 labelled rows; at least 20 are needed to measure the model" },
    };

    [Theory]
    [MemberData(nameof(Counts))]
    public void TooFewRowsOrTooFewOfAClassCannotMeasureAModel(int rows, int positives, ModelOutputKind output, string? shortage)
    {
        var problem = ValidationSet.Shortage(rows, positives, output, ValidationSet.MinRows, minPerClass: 5);

        Assert.Equal(shortage, problem);
    }

    [Fact]
    public void TheBundlesHoldoutNeedsOnlyBothClasses()
    {
        var (one, none) = (ValidationSet.Shortage(30, 1, ModelOutputKind.Probability, ValidationSet.MinRows, minPerClass: 1), ValidationSet.Shortage(30, 30, ModelOutputKind.Probability, ValidationSet.MinRows, minPerClass: 1));

        Assert.Null(one);
        Assert.Equal("every label is 1; both classes are needed to measure AUC", none);
    }
}
