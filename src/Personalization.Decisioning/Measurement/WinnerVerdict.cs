namespace Personalization.Decisioning.Measurement;

/// <summary>What <see cref="AutoWinner.Judge"/> found: the winning variant's index (null: none yet), the sample-ratio p-value and why.</summary>
public sealed record WinnerVerdict(int? Winner, double SampleRatioP, string Reason);
