using System.Text;
using Personalization.Decisioning.Features;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;
using Personalization.Scoring.Training;
using Personalization.Scoring.Validation;

namespace Personalization.Scoring.Tests;

/// <summary>Activation's figures come from the service's own scoring of a labelled validation set, never from the manifest.</summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class ValidationTests(TrainedModels models)
{
    [Fact]
    public void TheMeasuredAucOfATrainedBundleIsItsHoldOutAuc()
    {
        var bundle = models.Churn.Bundle;

        var measured = Measurement.Of(new ScoringService().Load(bundle), bundle.Validation()!);

        Assert.Equal(bundle.Manifest.Metrics["auc"], measured["auc"], 4);
        Assert.Equal(bundle.Manifest.Metrics["calibration_error"], measured["calibration_error"], 4);
    }

    [Fact]
    public void AClaimedAucDoesNotChangeWhatIsMeasured()
    {
        var bundle = models.Churn.Bundle with { Manifest = models.Churn.Bundle.Manifest with { Metrics = new() { ["auc"] = 0.99 } } };

        var measured = Measurement.Of(new ScoringService().Load(bundle), bundle.Validation()!);

        Assert.Equal(0.846, measured["auc"], 3);
    }

    public static TheoryData<string, string> BadSets => new()
    {
        { "tenure,label\n1,1\n", "holdout.csv: no column for feature 'monthly_charges'" },
        { "tenure,monthly_charges\n1,2\n", "holdout.csv: no label column 'label' (the manifest's label_column)" },
        { "tenure,monthly_charges,label\n1,2,maybe\n", "holdout.csv line 2: label 'maybe' is not 0 or 1" },
        { "tenure,monthly_charges,label\nten,2,1\n", "line 2: feature 'tenure' is a number, got 'ten'" },
        { "tenure,monthly_charges,label\n1,2,1\n", "holdout.csv: 1 labelled rows; at least 20 are needed to measure the model" },
        { "tenure,monthly_charges,label\n" + string.Concat(Enumerable.Repeat("1,2,1\n", 30)), "holdout.csv: every label is 1; both classes are needed to measure AUC" },
    };

    [Theory]
    [MemberData(nameof(BadSets))]
    public void ABadValidationSetIsRefusedWithTheReason(string csv, string reason)
    {
        List<FeatureSpec> features = [new("tenure", FeatureType.Float), new("monthly_charges", FeatureType.Float)];

        var error = Assert.Throws<InvalidModelBundleException>(() => ValidationSet.Parse(Encoding.UTF8.GetBytes(csv), features, "label", ModelOutputKind.Probability));

        Assert.Equal(reason, error.Message);
    }

    [Fact]
    public void AWorseCandidateIsRefusedWithBothFigures()
    {
        var candidate = new Dictionary<string, double> { ["auc"] = 0.70, ["calibration_error"] = 0.01 };
        var active = new Dictionary<string, double> { ["auc"] = 0.85, ["calibration_error"] = 0.01 };

        var problem = ActivationCheck.Problem(ModelOutputKind.Probability, candidate, active, "churn-a", "same rows", 0.02, 0.05, 0.1);

        Assert.Equal("measured AUC 0.7000 is more than 0.02 below the active churn-a's 0.8500 (same rows)", problem);
    }

    [Fact]
    public void AWorseCalibratedCandidateIsRefusedEvenWithTheSameAuc()
    {
        var candidate = new Dictionary<string, double> { ["auc"] = 0.85, ["calibration_error"] = 0.12 };
        var active = new Dictionary<string, double> { ["auc"] = 0.85, ["calibration_error"] = 0.02 };

        var problem = ActivationCheck.Problem(ModelOutputKind.Probability, candidate, active, "churn-a", "same rows", 0.02, 0.05, 0.1);

        Assert.Equal("measured calibration error 0.1200 is more than 0.05 above the active churn-a's 0.0200 (same rows)", problem);
    }

    [Fact]
    public void AValueModelIsComparedOnRmse()
    {
        var problem = ActivationCheck.Problem(ModelOutputKind.Value, new Dictionary<string, double> { ["rmse"] = 130 }, new Dictionary<string, double> { ["rmse"] = 100 }, "clv-a", "same rows", 0.02, 0.05, 0.1);

        Assert.Equal("measured RMSE 130 is more than 10% above the active clv-a's 100 (same rows)", problem);
    }

    [Fact]
    public void TheFirstModelOfAKindHasNothingToBeat()
    {
        Assert.Null(ActivationCheck.Problem(ModelOutputKind.Probability, new Dictionary<string, double> { ["auc"] = 0.6, ["calibration_error"] = 0.2 }, null, "", "", 0.02, 0.05, 0.1));
    }

    [Fact]
    public void TrainedBundlesCarryTheirHoldOutRowsWithTheLabel()
    {
        var set = models.Churn.Bundle.Validation()!;

        Assert.Equal(models.Churn.Evaluation!.PositiveRate, set.Labels.Average(), 4);
        Assert.Equal(ModelTrainer.HoldoutLabel, models.Churn.Bundle.Manifest.LabelColumn);
    }
}
