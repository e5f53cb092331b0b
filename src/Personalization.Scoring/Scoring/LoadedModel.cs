using System.Collections.Concurrent;
using Microsoft.ML;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Offers;
using Personalization.Scoring.Bundles;

namespace Personalization.Scoring.Scoring;

/// <summary>
/// A bundle's model ready to score from many threads: a PredictionEngine is not thread-safe, so each
/// call rents one from a pool and returns it.
/// </summary>
public sealed class LoadedModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly Microsoft.ML.Data.SchemaDefinition _schema;
    private readonly ConcurrentBag<PredictionEngine<ModelInput, ModelOutput>> _engines = [];

    private LoadedModel(MLContext ml, ITransformer transformer, ModelBundle bundle)
    {
        _ml = ml;
        _transformer = transformer;
        _schema = ModelInput.Schema(bundle.Manifest.Features);
        Bundle = bundle;
    }

    /// <summary>The bundle this model came from.</summary>
    public ModelBundle Bundle { get; }

    /// <summary>The manifest's version.</summary>
    public string Version => Bundle.Manifest.Version;

    /// <summary>Loads the ML.NET model of a checked bundle; throws <see cref="InvalidModelBundleException"/> if it does not load.</summary>
    public static LoadedModel Load(MLContext ml, ModelBundle bundle)
    {
        try
        {
            using var stream = new MemoryStream(bundle.Model);
            var transformer = ml.Model.Load(stream, out _);
            var model = new LoadedModel(ml, transformer, bundle);
            model.Return(model.Rent());
            return model;
        }
        catch (Exception ex) when (ex is not InvalidModelBundleException)
        {
            throw new InvalidModelBundleException($"model.zip does not load as an ML.NET model for its features: {ex.Message}", ex);
        }
    }

    /// <summary>The probability for a customer (and an offer, for offer models).</summary>
    public float Score(CustomerState state, DateTime now, Offer? offer = null)
    {
        var input = FeatureVectors.Build(Bundle.Manifest.Features, state, now, offer);
        var engine = Rent();
        try
        {
            return engine.Predict(input).Probability;
        }
        finally
        {
            Return(engine);
        }
    }

    private PredictionEngine<ModelInput, ModelOutput> Rent() =>
        _engines.TryTake(out var engine) ? engine : _ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(_transformer, inputSchemaDefinition: _schema);

    private void Return(PredictionEngine<ModelInput, ModelOutput> engine) => _engines.Add(engine);
}
