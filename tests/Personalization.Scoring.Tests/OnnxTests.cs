using System.Globalization;
using System.Text;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Features;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;
using Personalization.Scoring.Validation;
using Personalization.Testing;

namespace Personalization.Scoring.Tests;

/// <summary>The ONNX example bundle that models/python/train_onnx.py made: scored by ONNX Runtime as scikit-learn scored it, its graph checked against its manifest.</summary>
public sealed class OnnxTests
{
    public static string Folder => Path.Combine(RepositoryPaths.Root, "models", "examples", "churn-onnx");

    public static ModelBundle Example => ModelBundle.Read(Directory.GetFiles(Folder, "*.zip").Single());

    /// <summary>The hold-out rows with the scikit-learn model's score for each: (values by column, score).</summary>
    public static List<(Dictionary<string, string> Row, double Score)> Reference()
    {
        using var reader = new StreamReader(Path.Combine(Folder, "reference.csv"));
        var records = CsvRecords.Read(reader).Select(r => r.Fields).ToList();
        var header = records[0];
        return [.. records.Skip(1).Select(fields => (
            header.Zip(fields).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal),
            double.Parse(fields[^1], CultureInfo.InvariantCulture)))];
    }

    [Fact]
    public void TheOnnxModelScoresEveryHoldOutRowAsScikitLearnDid()
    {
        var model = new ScoringService().Load(Example);
        var features = model.Bundle.Manifest.Features;
        var reference = Reference();

        var differences = reference.Select(r => Math.Abs(model.Score(FeatureVectors.FromValues(features, [.. features.Select(f => r.Row[f.Name])], 0)) - r.Score)).ToList();

        Assert.Equal(ModelFormat.Onnx, model.Bundle.Manifest.Format);
        Assert.True(reference.Count > 1000, $"{reference.Count} reference rows");
        Assert.True(differences.Max() < 1e-5, $"largest difference {differences.Max():E2}");
    }

    [Fact]
    public void TheServiceMeasuresTheOnnxModelOnItsHoldOutAsTheAuthorDid()
    {
        var bundle = Example;
        var model = new ScoringService().Load(bundle);

        var measured = Measurement.Of(model, bundle.Validation()!);

        Assert.Equal(bundle.Manifest.Metrics["auc"], measured["auc"], 3);
        Assert.InRange(measured["auc"], 0.83, 0.87);
        Assert.Equal(Reference().Count, (int)measured["rows"]);
    }

    public static TheoryData<string, string> Mismatches => new()
    {
        { "undeclared-input", "model.onnx: input 'gender' is not a declared feature" },
        { "unread-feature", "model.onnx: declared feature 'sessions' is not an input of the graph" },
        { "wrong-type", "model.onnx: input 'gender' is String, the manifest declares float" },
        { "not-onnx", "model.onnx does not load in ONNX Runtime" },
    };

    [Theory]
    [MemberData(nameof(Mismatches))]
    public void AGraphThatDoesNotMatchItsManifestIsRefusedAndTheActiveModelStays(string mismatch, string reason)
    {
        var scoring = new ScoringService();
        var active = scoring.Activate(Example);
        var good = Example;
        var features = good.Manifest.Features;
        var bad = mismatch switch
        {
            "undeclared-input" => good with { Manifest = good.Manifest with { Features = [.. features.Where(f => f.Name != "gender")] }, Holdout = null },
            "unread-feature" => good with { Manifest = good.Manifest with { Features = [.. features, new("sessions", FeatureType.Float)] }, Holdout = null },
            "wrong-type" => good with { Manifest = good.Manifest with { Features = [.. features.Select(f => f.Name == "gender" ? f with { Type = FeatureType.Float } : f)] }, Holdout = null },
            _ => new ModelBundle(good.Manifest with { ContentSha256 = ModelBundle.Sha256(Encoding.UTF8.GetBytes("not a graph")) }, Encoding.UTF8.GetBytes("not a graph")),
        };

        var error = Assert.Throws<InvalidModelBundleException>(() => scoring.Activate(ModelBundle.Read(new MemoryStream(bad.ToBytes()))));

        Assert.StartsWith(reason, error.Message);
        Assert.Same(active, scoring.Active(ModelKind.Churn));
    }

    [Fact]
    public void AProbabilityKindDeclaringAValueOutputIsRefused()
    {
        var good = Example;

        var error = Assert.Throws<InvalidModelBundleException>(() => ModelBundle.Read(new MemoryStream((good with { Manifest = good.Manifest with { Output = ModelOutputKind.Value } }).ToBytes())));

        Assert.Equal("output: a churn model answers a probability, the manifest says value", error.Message);
    }
}

/// <summary>The shipped clv (value) and purchase-propensity (probability) ONNX models, trained on the Online Retail data: ONNX Runtime answers as scikit-learn did.</summary>
public sealed class RetailModelTests
{
    [Theory]
    [InlineData("clv", ModelOutputKind.Value)]
    [InlineData("purchase-propensity", ModelOutputKind.Probability)]
    public void TheShippedRetailModelScoresItsHoldOutAsScikitLearnDid(string kind, ModelOutputKind output)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "models", kind);
        var model = new ScoringService().Load(ModelBundle.Read(Directory.GetFiles(folder, "*.zip").Single()));
        var features = model.Bundle.Manifest.Features;
        using var reader = new StreamReader(Path.Combine(folder, "reference.csv"));
        var records = CsvRecords.Read(reader).Select(r => r.Fields).ToList();
        var header = records[0];

        var relative = records.Skip(1).Select(fields =>
        {
            var python = double.Parse(fields[^1], CultureInfo.InvariantCulture);
            var service = model.Score(FeatureVectors.FromValues(features, [.. features.Select(f => fields[Array.IndexOf(header, f.Name)])], 0));
            return Math.Abs(service - python) / Math.Max(1, Math.Abs(python));
        }).ToList();
        var measured = Measurement.Of(model, model.Bundle.Validation()!);

        Assert.Equal((new ModelKind(kind), output), (model.Bundle.Manifest.Kind, model.Bundle.Manifest.Output));
        Assert.True(relative.Max() < 1e-5, $"largest relative difference {relative.Max():E2}");
        Assert.Equal(relative.Count, (int)measured["rows"]);
        if (output == ModelOutputKind.Value)
        {
            Assert.True(measured["rmse"] < 0.7 * model.Bundle.Manifest.Metrics["baseline_rmse"], $"RMSE {measured["rmse"]} against the mean's {model.Bundle.Manifest.Metrics["baseline_rmse"]}");
        }
        else
        {
            Assert.InRange(measured["auc"], 0.70, 0.80);
        }
    }
}
