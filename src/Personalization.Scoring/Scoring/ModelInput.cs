using Microsoft.ML.Data;
using Personalization.Decisioning.Features;

namespace Personalization.Scoring.Scoring;

/// <summary>
/// What every model reads: its numeric features (floats and booleans) in one vector and its
/// categorical features in another, both in manifest order. Sizes come from the manifest, so one
/// input type serves every feature schema.
/// </summary>
public sealed class ModelInput
{
    public float[] Numeric { get; set; } = [];

    public string[] Categorical { get; set; } = [];

    public bool Label { get; set; }

    /// <summary>The label of a value model (clv) while it trains; unused when scoring.</summary>
    public float Value { get; set; }

    /// <summary>The ML.NET schema for a feature list (at least one slot each, so every model has both vectors).</summary>
    public static SchemaDefinition Schema(IReadOnlyList<FeatureSpec> features)
    {
        var schema = SchemaDefinition.Create(typeof(ModelInput));
        schema[nameof(Numeric)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Math.Max(1, features.Count(f => f.Type != FeatureType.String)));
        schema[nameof(Categorical)].ColumnType = new VectorDataViewType(TextDataViewType.Instance, Math.Max(1, features.Count(f => f.Type == FeatureType.String)));
        return schema;
    }
}
