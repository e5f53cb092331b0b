using System.Text;
using Personalization.Decisioning.Features;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;
using Personalization.Scoring.Training;
using Personalization.Scoring.Validation;

namespace Personalization.Scoring.Tests;

/// <summary><c>model train --rows</c>: ML.NET trains on the rows <c>data export</c> wrote, and its bundle carries the exported hold-out rows.</summary>
public sealed class ExportTrainingTests
{
    // The example's hold-out rows are exported churn rows (1,409 customers): enough to train and measure on.
    private static ExportedRows Exported() =>
        ExportedRows.Read(new StringReader(Encoding.UTF8.GetString(OnnxTests.Example.Holdout!)), "churned");

    [Fact]
    public void TheExportsColumnsBecomeFeaturesByNameWithTheirTypes()
    {
        var rows = Exported();

        Assert.Equal(19, rows.Features.Count);
        Assert.Contains(new FeatureSpec("tenure", FeatureType.Float), rows.Features);
        Assert.Contains(new FeatureSpec("contract", FeatureType.String), rows.Features);
        Assert.DoesNotContain(rows.Features, f => f.Name is "customer_id" or "churned");
    }

    [Fact]
    public void AModelTrainedOnExportedRowsIsMeasuredOnItsExportedHoldOut()
    {
        var trained = ModelTrainer.Train(ModelKind.Churn, Exported(), ModelTrainer.Learner.LogisticRegression, 42, "test rows");
        var bundle = ModelBundle.Read(new MemoryStream(trained.Bundle.ToBytes()));

        var measured = Measurement.Of(new ScoringService().Load(bundle), bundle.Validation()!);

        Assert.Equal("churned", bundle.Manifest.LabelColumn);
        Assert.Equal(trained.Evaluation!.Auc, measured["auc"], 3);
        Assert.InRange(measured["auc"], 0.78, 0.92);
    }

    [Fact]
    public void RowsWithoutTheLabelColumnAreRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() => ExportedRows.Read(new StringReader("customer_id,tenure\nc1,3\n"), "churned"));

        Assert.Equal("the rows have no label column 'churned'", error.Message);
    }
}
