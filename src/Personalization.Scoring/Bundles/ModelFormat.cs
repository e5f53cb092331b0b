namespace Personalization.Scoring.Bundles;

/// <summary>How a bundle's model file is stored.</summary>
public enum ModelFormat
{
    /// <summary>An ML.NET model, <c>model.zip</c>, reading the two vectors of <see cref="Scoring.ModelInput"/>.</summary>
    Mlnet,

    /// <summary>An ONNX graph, <c>model.onnx</c>, with one [N,1] input per feature named as the feature.</summary>
    Onnx,
}
