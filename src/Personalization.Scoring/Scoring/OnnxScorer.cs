using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Personalization.Decisioning.Features;
using Personalization.Scoring.Bundles;

namespace Personalization.Scoring.Scoring;

/// <summary>
/// An ONNX graph scored with ONNX Runtime (an InferenceSession runs from many threads at once). The
/// graph reads one [N,1] input per declared feature, named as the feature (float for float and bool
/// features, string for categories; a missing number is NaN, a missing category ""), and answers
/// in an output named <c>probability</c> or <c>value</c>, as the manifest's output says.
/// </summary>
internal sealed class OnnxScorer : IModelScorer
{
    private static readonly int[] OneByOne = [1, 1];
    private readonly InferenceSession _session;
    private readonly IReadOnlyList<FeatureSpec> _features;
    private readonly string[] _output;

    private OnnxScorer(InferenceSession session, IReadOnlyList<FeatureSpec> features, string output)
    {
        _session = session;
        _features = features;
        _output = [output];
    }

    /// <summary>The output a graph must have for a manifest's output kind.</summary>
    public static string OutputName(ModelOutputKind output) => output == ModelOutputKind.Probability ? "probability" : "value";

    /// <summary>Loads <c>model.onnx</c> and checks its inputs and output against the manifest; throws <see cref="InvalidModelBundleException"/> with the mismatch.</summary>
    public static OnnxScorer Load(ModelBundle bundle)
    {
        InferenceSession session;
        try
        {
            session = new InferenceSession(bundle.Model);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidModelBundleException($"model.onnx does not load in ONNX Runtime: {ex.Message}", ex);
        }

        if (SignatureProblem(bundle.Manifest, session) is { } problem)
        {
            session.Dispose();
            throw new InvalidModelBundleException(problem);
        }

        return new OnnxScorer(session, bundle.Manifest.Features, OutputName(bundle.Manifest.Output));
    }

    public float Score(ModelInput input)
    {
        var inputs = new List<NamedOnnxValue>(_features.Count);
        int n = 0, c = 0;
        foreach (var feature in _features)
        {
            inputs.Add(feature.Type == FeatureType.String
                ? NamedOnnxValue.CreateFromTensor(feature.Name, new DenseTensor<string>(new[] { input.Categorical[c++] }, OneByOne))
                : NamedOnnxValue.CreateFromTensor(feature.Name, new DenseTensor<float>(new[] { input.Numeric[n++] }, OneByOne)));
        }

        using var results = _session.Run(inputs, _output);
        return results[0].AsEnumerable<float>().First();
    }

    // Inputs by name: every declared feature is an input of its type and the graph needs nothing else.
    private static string? SignatureProblem(ModelManifest manifest, InferenceSession session)
    {
        var declared = manifest.Features.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var (name, meta) in session.InputMetadata)
        {
            if (!declared.TryGetValue(name, out var feature))
            {
                return $"model.onnx: input '{name}' is not a declared feature (the inputs must be the manifest's features, by name)";
            }

            var want = feature.Type == FeatureType.String ? typeof(string) : typeof(float);
            if (meta.ElementType != want)
            {
                return $"model.onnx: input '{name}' is {meta.ElementType.Name}, the manifest declares {feature.Type.ToString().ToLowerInvariant()} (read as {want.Name})";
            }

            if (meta.Dimensions.Length != 2 || meta.Dimensions[1] is not (1 or -1))
            {
                return $"model.onnx: input '{name}' has shape [{string.Join(",", meta.Dimensions)}]; each feature is an [N,1] input";
            }
        }

        if (manifest.Features.FirstOrDefault(f => !session.InputMetadata.ContainsKey(f.Name)) is { } unread)
        {
            return $"model.onnx: declared feature '{unread.Name}' is not an input of the graph";
        }

        var output = OutputName(manifest.Output);
        if (!session.OutputMetadata.TryGetValue(output, out var answer) || answer.ElementType != typeof(float))
        {
            return $"model.onnx: a {manifest.Output.ToString().ToLowerInvariant()} model answers in a float output named '{output}'; the graph's outputs are {string.Join(", ", session.OutputMetadata.Select(o => $"'{o.Key}' ({o.Value.ElementType.Name})"))}";
        }

        return null;
    }
}
