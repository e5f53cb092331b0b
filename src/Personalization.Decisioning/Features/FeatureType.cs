namespace Personalization.Decisioning.Features;

/// <summary>How a model reads a feature.</summary>
public enum FeatureType
{
    /// <summary>A number; missing is NaN.</summary>
    Float,

    /// <summary>True or false, read as 1 or 0; missing is NaN.</summary>
    Bool,

    /// <summary>A category, one-hot encoded by the model; missing is "".</summary>
    String,
}
