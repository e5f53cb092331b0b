namespace Personalization.Scoring.Scoring;

/// <summary>Scores one input, from many threads at once; one implementation per bundle format.</summary>
internal interface IModelScorer
{
    /// <summary>The model's answer for one input: a probability or a value, as the manifest declares.</summary>
    float Score(ModelInput input);
}
