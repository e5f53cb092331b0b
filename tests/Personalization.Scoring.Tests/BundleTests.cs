using System.IO.Compression;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Personalization.Decisioning.Features;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;

namespace Personalization.Scoring.Tests;

/// <summary>Bad bundles are rejected with the reason, and the active model stays active.</summary>
[Collection(TrainedModelsCollection.Name)]
public sealed class BundleTests(TrainedModels models)
{
    [Fact]
    public void ABundleRoundTripsThroughItsZip()
    {
        var bytes = models.Churn.Bundle.ToBytes();

        var read = ModelBundle.Read(new MemoryStream(bytes));

        Assert.Equal(models.Churn.Bundle.Manifest.Version, read.Manifest.Version);
        Assert.Equal(models.Churn.Bundle.Model, read.Model);
    }

    public static TheoryData<string, string> BadBundles => new()
    {
        { "not-a-zip", "the bundle is not a valid zip" },
        { "no-manifest", "the bundle has no manifest.json" },
        { "manifest-not-json", "manifest.json does not parse" },
        { "bad-kind-name", "kind 'Weather_Forecast': a kind is 1 to 40 lower-case letters and hyphens" },
        { "hash-mismatch", "model.zip does not match the manifest's content_sha256" },
        { "offer-feature-in-churn", "the service cannot build feature 'offer_reward': offer attributes exist only for offer models" },
        { "wrong-type", "the service cannot build feature 'sessions_7d' is a number, not string" },
        { "bad-name", "the service cannot build feature 'Tenure': names are lower_snake_case" },
        { "not-a-model", "model.zip does not load as an ML.NET model" },
    };

    [Theory]
    [MemberData(nameof(BadBundles))]
    public void ABadBundleIsRejectedWithTheReasonAndTheActiveModelStays(string kind, string reason)
    {
        var scoring = new ScoringService();
        var active = scoring.Activate(models.Churn.Bundle);

        var error = Assert.Throws<InvalidModelBundleException>(() => scoring.Activate(ModelBundle.Read(new MemoryStream(Bad(kind)))));

        Assert.StartsWith(reason, error.Message);
        Assert.Same(active, scoring.Active(ModelKind.Churn));
    }

    [Fact]
    public void AModelThatAnswersNaNIsRejectedAndTheActiveModelStays()
    {
        var scoring = new ScoringService();
        var active = scoring.Activate(models.Churn.Bundle);

        var error = Assert.Throws<InvalidModelBundleException>(() => scoring.Activate(NaNModel()));

        Assert.StartsWith("the model answers NaN for a sample customer", error.Message);
        Assert.Same(active, scoring.Active(ModelKind.Churn));
    }

    private byte[] Bad(string kind)
    {
        var good = models.Churn.Bundle;
        return kind switch
        {
            "not-a-zip" => Encoding.UTF8.GetBytes("this is not a zip"),
            "no-manifest" => Zip(("model.zip", good.Model)),
            "manifest-not-json" => Zip(("manifest.json", Encoding.UTF8.GetBytes("{ not json")), ("model.zip", good.Model)),
            "bad-kind-name" => Zip(("manifest.json", Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(good.Manifest, ModelBundle.Json).Replace("\"churn\"", "\"Weather_Forecast\""))), ("model.zip", good.Model)),
            "hash-mismatch" => (good with { Manifest = good.Manifest with { ContentSha256 = new string('0', 64) } }).ToBytes(),
            "offer-feature-in-churn" => WithFeatures(good, [new("offer_reward", FeatureType.Float)]).ToBytes(),
            "wrong-type" => WithFeatures(good, [new("sessions_7d", FeatureType.String)]).ToBytes(),
            "bad-name" => WithFeatures(good, [new("Tenure", FeatureType.Float)]).ToBytes(),
            _ => WithModel(good, Encoding.UTF8.GetBytes("not an ML.NET model")).ToBytes(),
        };
    }

    private static ModelBundle WithFeatures(ModelBundle bundle, List<FeatureSpec> features) =>
        bundle with { Manifest = bundle.Manifest with { Features = features } };

    private static ModelBundle WithModel(ModelBundle bundle, byte[] model) =>
        new(bundle.Manifest with { ContentSha256 = ModelBundle.Sha256(model) }, model);

    private static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(content);
            }
        }

        return stream.ToArray();
    }

    /// <summary>A well-formed bundle whose model answers NaN for everyone.</summary>
    private ModelBundle NaNModel()
    {
        var ml = new MLContext(0);
        var features = new List<FeatureSpec> { new("tenure", FeatureType.Float) };
        var schema = ModelInput.Schema(features);
        var data = ml.Data.LoadFromEnumerable(new List<ModelInput> { new() { Numeric = [1], Categorical = [""] } }, schema);
        var pipeline = ml.Transforms.Conversion.ConvertType("LabelNumber", nameof(ModelInput.Label), DataKind.Single)
            .Append(ml.Transforms.Expression("Probability", "x => (x - x) / (x - x)", "LabelNumber"))
            .Append(ml.Transforms.Expression("Score", "x => (x - x) / (x - x)", "LabelNumber"));
        var transformer = pipeline.Fit(data);
        using var stream = new MemoryStream();
        ml.Model.Save(transformer, data.Schema, stream);
        var model = stream.ToArray();
        return new ModelBundle(models.Churn.Bundle.Manifest with { Version = "churn-nan", Features = features, ContentSha256 = ModelBundle.Sha256(model) }, model);
    }
}
