using System.Collections.Concurrent;
using Microsoft.ML;
using Personalization.Scoring.Bundles;

namespace Personalization.Scoring.Scoring;

/// <summary>An ML.NET model (a binary classifier's probability or a regression's value): a PredictionEngine is not thread-safe, so each call rents one from a pool and returns it.</summary>
internal sealed class MlNetScorer : IModelScorer
{
    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly Microsoft.ML.Data.SchemaDefinition _schema;
    private readonly ModelOutputKind _output;
    private readonly ConcurrentBag<PredictionEngine<ModelInput, ModelOutput>> _engines = [];

    private MlNetScorer(MLContext ml, ITransformer transformer, ModelBundle bundle)
    {
        _ml = ml;
        _transformer = transformer;
        _schema = ModelInput.Schema(bundle.Manifest.Features);
        _output = bundle.Manifest.Output;
    }

    /// <summary>Loads <c>model.zip</c>; throws <see cref="InvalidModelBundleException"/> if it does not load for its features.</summary>
    public static MlNetScorer Load(MLContext ml, ModelBundle bundle)
    {
        try
        {
            using var stream = new MemoryStream(bundle.Model);
            var scorer = new MlNetScorer(ml, ml.Model.Load(stream, out _), bundle);
            scorer.Return(scorer.Rent());
            return scorer;
        }
        catch (Exception ex) when (ex is not InvalidModelBundleException)
        {
            throw new InvalidModelBundleException($"model.zip does not load as an ML.NET model for its features: {ex.Message}", ex);
        }
    }

    public float Score(ModelInput input)
    {
        var engine = Rent();
        try
        {
            var output = engine.Predict(input);
            return output.Answer(_output);
        }
        finally
        {
            Return(engine);
        }
    }

    private PredictionEngine<ModelInput, ModelOutput> Rent() =>
        _engines.TryTake(out var engine) ? engine : ModelOutput.Engine(_ml, _transformer, _schema, _output);

    private void Return(PredictionEngine<ModelInput, ModelOutput> engine) => _engines.Add(engine);
}
