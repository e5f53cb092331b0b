namespace Personalization.Cli.Retail;

/// <summary>The figures of one offline evaluation.</summary>
public sealed record RetailEvaluationResult(
    int TrainLines,
    int TestLines,
    int Products,
    int TrainCustomers,
    int EvaluatedCustomers,
    int K,
    double HitRate,
    double Ndcg,
    double PopularHitRate,
    double PopularNdcg);
