using Microsoft.ML;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Offers;
using Personalization.Scoring.Bundles;

namespace Personalization.Scoring.Scoring;

/// <summary>
/// A bundle's model ready to score from many threads, whatever its format: ML.NET (a pool of
/// prediction engines) or ONNX (one ONNX Runtime session). Inputs are built by feature name, the
/// same way for both.
/// </summary>
public sealed class LoadedModel
{
    private readonly IModelScorer _scorer;

    private LoadedModel(IModelScorer scorer, ModelBundle bundle)
    {
        _scorer = scorer;
        Bundle = bundle;
    }

    /// <summary>The bundle this model came from.</summary>
    public ModelBundle Bundle { get; }

    /// <summary>The manifest's version.</summary>
    public string Version => Bundle.Manifest.Version;

    /// <summary>Loads the model of a checked bundle; throws <see cref="InvalidModelBundleException"/> if it does not load.</summary>
    public static LoadedModel Load(MLContext ml, ModelBundle bundle) =>
        new(bundle.Manifest.Format == ModelFormat.Onnx ? OnnxScorer.Load(bundle) : MlNetScorer.Load(ml, bundle), bundle);

    /// <summary>The model's answer for a customer (and an offer, for offer models; and a request's context when it reads one).</summary>
    public float Score(CustomerState state, DateTime now, Offer? offer = null, Decisioning.Decisions.PlacementContext? context = null) =>
        _scorer.Score(FeatureVectors.Build(Bundle.Manifest.Features, state, now, offer, context: context));

    /// <summary>Whether a feature reads the request's context, so its answers cannot be cached per customer alone.</summary>
    public bool ReadsContext => Bundle.Manifest.Features.Any(f => Decisioning.Features.CustomerFeatures.IsContext(f.Name));

    /// <summary>The model's answer for an input already built (a validation row).</summary>
    public float Score(ModelInput input) => _scorer.Score(input);
}
