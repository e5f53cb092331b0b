using System.Globalization;
using Personalization.Decisioning.Customers;
using Personalization.Scoring.Bundles;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;
using ModelKind = Personalization.V1.ModelKind;

namespace Personalization.Server.Tests;

/// <summary>The data scientist's path over real gRPC: the ONNX bundle models/python/train_onnx.py made from exported rows is pushed, measured, activated, and scores customers as scikit-learn did.</summary>
[Collection(ServerCollection.Name)]
public sealed class OnnxModelTests(ServerEnvironment environment)
{
    private const int Customers = 120;

    private static string Folder => Path.Combine(RepositoryPaths.Root, "models", "examples", "churn-onnx");

    [Fact]
    public async Task AnOnnxBundlePushedAndActivatedScoresCustomersAsThePythonModelDid()
    {
        var settings = TestServer.Settings(environment.Azurite, $"onnx-{Guid.NewGuid():N}");
        await using var server = await TestServer.StartAsync(settings);
        var (models, events, profiles) = (new ModelService.ModelServiceClient(server.Channel), new EventService.EventServiceClient(server.Channel), new ProfileService.ProfileServiceClient(server.Channel));
        var bytes = File.ReadAllBytes(Directory.GetFiles(Folder, "*.zip").Single());
        var bundle = ModelBundle.Read(new MemoryStream(bytes));
        var run = Guid.NewGuid().ToString("N")[..8];
        var reference = Reference().Take(Customers).ToList();
        foreach (var (row, _) in reference)
        {
            await events.TrackBatchAsync(Batch(Traits($"{run}-{row["customer_id"]}", bundle.Manifest.Features, row)));
        }

        var pushed = await ModelLifecycleTests.PushAsync(models, bytes);
        var activated = await models.ActivateModelAsync(new ActivateModelRequest { Kind = ModelKind.Churn, Version = pushed.Version });
        var scores = new List<(double Service, double Python, string Version)>();
        foreach (var (row, python) in reference)
        {
            var profile = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = $"{run}-{row["customer_id"]}" });
            var churn = profile.Scores.Single(s => s.Name == "churn");
            scores.Add((churn.Value, python, churn.ModelVersion));
        }

        Assert.Equal((ModelStatus.Staged, ModelStatus.Active), (pushed.Status, activated.Status));
        Assert.Equal(bundle.Manifest.Metrics["auc"], activated.MeasuredMetrics["auc"], 3);
        Assert.All(scores, s => Assert.Equal(pushed.Version, s.Version));
        Assert.All(scores, s => Assert.True(Math.Abs(s.Service - s.Python) < 1e-5, $"service {s.Service} vs scikit-learn {s.Python}"));
    }

    // The exported row back as the customer's traits: numbers as numbers, categories as text, empty as absent.
    private static Event Traits(string customer, IReadOnlyList<Decisioning.Features.FeatureSpec> features, Dictionary<string, string> row) =>
        Ev.Traits(customer, DateTime.UtcNow, [.. features
            .Where(f => row[f.Name].Length > 0)
            .Select(f => (f.Name, f.Type == Decisioning.Features.FeatureType.String
                ? new Value { StringValue = row[f.Name] }
                : new Value { DoubleValue = double.Parse(row[f.Name], CultureInfo.InvariantCulture) }))]);

    private static IEnumerable<(Dictionary<string, string> Row, double Score)> Reference()
    {
        using var reader = new StreamReader(Path.Combine(Folder, "reference.csv"));
        string[]? header = null;
        foreach (var (_, fields) in CsvRecords.Read(reader))
        {
            if (header is null)
            {
                header = fields;
                continue;
            }

            yield return (header.Zip(fields).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal), double.Parse(fields[^1], CultureInfo.InvariantCulture));
        }
    }
}
