using Microsoft.ML;
using Personalization.Scoring.Bundles;

namespace Personalization.Scoring.Scoring;

/// <summary>What a binary classifier answers (<see cref="Probability"/>), or a regression (<see cref="Score"/> only).</summary>
public sealed class ModelOutput
{
    /// <summary>The output schema for a kind of model: a regression has no probability column, so it is left out.</summary>
    public static Microsoft.ML.Data.SchemaDefinition? Schema(ModelOutputKind output)
    {
        if (output == ModelOutputKind.Probability)
        {
            return null;
        }

        var schema = Microsoft.ML.Data.SchemaDefinition.Create(typeof(ModelOutput));
        schema.RemoveAll(c => c.MemberName == nameof(Probability));
        return schema;
    }

    /// <summary>A prediction engine for a model of the given output kind.</summary>
    public static PredictionEngine<ModelInput, ModelOutput> Engine(MLContext ml, ITransformer model, Microsoft.ML.Data.SchemaDefinition input, ModelOutputKind output) =>
        ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model, inputSchemaDefinition: input, outputSchemaDefinition: Schema(output));

    /// <summary>The answer for the output kind: the probability, or the regression's value.</summary>
    public float Answer(ModelOutputKind output) => output == ModelOutputKind.Probability ? Probability : Score;

    /// <summary>Calibrated probability of the positive class.</summary>
    public float Probability { get; set; }

    /// <summary>Raw score.</summary>
    public float Score { get; set; }
}
