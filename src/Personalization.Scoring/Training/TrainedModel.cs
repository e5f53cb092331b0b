using Personalization.Scoring.Bundles;

namespace Personalization.Scoring.Training;

/// <summary>A trained bundle with its hold-out evaluation.</summary>
public sealed record TrainedModel(ModelBundle Bundle, BinaryEvaluation Evaluation);
