using Microsoft.ML;
using Personalization.Scoring.Bundles;

namespace Personalization.Scoring.Scoring;

/// <summary>
/// An ML.NET model (a binary classifier's probability or a regression's value). A PredictionEngine is not
/// thread-safe, so each thread scores with an engine of its own (made on its first call): no pool to contend
/// on (a shared pool's take and return were 8% of the CPU of a burst of journey wakes, profiled).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A scorer lives as long as its model version is loaded, and is dropped, not disposed, on a hot swap; ThreadLocal's finalizer releases the engines then.")]
internal sealed class MlNetScorer : IModelScorer
{
    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly Microsoft.ML.Data.SchemaDefinition _schema;
    private readonly ModelOutputKind _output;
    private readonly ThreadLocal<PredictionEngine<ModelInput, ModelOutput>> _engines;

    private MlNetScorer(MLContext ml, ITransformer transformer, ModelBundle bundle)
    {
        _ml = ml;
        _transformer = transformer;
        _schema = ModelInput.Schema(bundle.Manifest.Features);
        _output = bundle.Manifest.Output;
        _engines = new ThreadLocal<PredictionEngine<ModelInput, ModelOutput>>(() => ModelOutput.Engine(_ml, _transformer, _schema, _output));
    }

    /// <summary>Loads <c>model.zip</c>; throws <see cref="InvalidModelBundleException"/> if it does not load for its features.</summary>
    public static MlNetScorer Load(MLContext ml, ModelBundle bundle)
    {
        try
        {
            using var stream = new MemoryStream(bundle.Model);
            var scorer = new MlNetScorer(ml, ml.Model.Load(stream, out _), bundle);
            _ = scorer._engines.Value; // an engine made now, so a model that cannot score fails to load
            return scorer;
        }
        catch (Exception ex) when (ex is not InvalidModelBundleException)
        {
            throw new InvalidModelBundleException($"model.zip does not load as an ML.NET model for its features: {ex.Message}", ex);
        }
    }

    public float Score(ModelInput input) => _engines.Value!.Predict(input).Answer(_output);
}
