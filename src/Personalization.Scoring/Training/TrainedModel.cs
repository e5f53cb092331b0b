using Personalization.Scoring.Bundles;

namespace Personalization.Scoring.Training;

/// <summary>A trained bundle with its hold-out evaluation (the ROC and friends for a probability model; null for a value model, whose figures are in the manifest's metrics).</summary>
public sealed record TrainedModel(ModelBundle Bundle, BinaryEvaluation? Evaluation);
