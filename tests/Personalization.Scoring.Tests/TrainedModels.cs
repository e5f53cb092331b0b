using Personalization.Scoring.Training;
using Personalization.Testing;

namespace Personalization.Scoring.Tests;

/// <summary>Trains each shipped model once for the tests that need it (the data sets are in models/data).</summary>
public sealed class TrainedModels
{
    public static string Data(params string[] parts) => Path.Combine([RepositoryPaths.Root, "models", "data", .. parts]);

    public static string TelcoCsv => Data("telco-churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv");

    public static string Portfolio => Data("offer-portfolio", "portfolio.json");

    public static string Profiles => Data("offer-portfolio", "profile.json");

    public TrainedModel Churn { get; } = ModelTraining.TrainChurn(TelcoCsv);

    public TrainedModel Offer { get; } = ModelTraining.TrainOffer(Portfolio, Profiles);
}

[CollectionDefinition(Name)]
public sealed class TrainedModelsCollection : ICollectionFixture<TrainedModels>
{
    public const string Name = "Trained models";
}
