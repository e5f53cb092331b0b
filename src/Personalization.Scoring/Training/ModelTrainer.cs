using Microsoft.ML;
using Microsoft.ML.Transforms;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Features;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;

namespace Personalization.Scoring.Training;

/// <summary>
/// Trains a binary classifier on feature vectors built by name (the same builder serving uses),
/// evaluates it on a hold-out split by group (customer), and packs it into a bundle. Reproducible:
/// the split, the trainer and the data order all follow the seed.
/// </summary>
public static class ModelTrainer
{
    /// <summary>Which learner to use.</summary>
    public enum Learner
    {
        /// <summary>L-BFGS logistic regression on normalized numbers and one-hot categories.</summary>
        LogisticRegression,

        /// <summary>Boosted decision trees (FastTree), calibrated.</summary>
        FastTree,
    }

    /// <summary>
    /// Trains, evaluates and bundles; time-based features are computed as of <paramref name="now"/>
    /// (the reference date). The hold-out rows go into the bundle as its validation set, with the
    /// <paramref name="holdoutColumns"/> (default: the features; a superset lets activation score
    /// the active model on the same rows) and the label.
    /// </summary>
    public static TrainedModel Train(
        ModelKind kind,
        IReadOnlyList<FeatureSpec> features,
        IReadOnlyList<TrainingRow> rows,
        Learner learner,
        int seed,
        DateTime now,
        string trainingData,
        double holdOutShare = 0.2,
        IProgress<string>? progress = null,
        IReadOnlyList<FeatureSpec>? holdoutColumns = null)
    {
        var ml = new MLContext(seed);
        var (train, test) = Split(rows, holdOutShare, seed);
        progress?.Report($"building {rows.Count} feature vectors");
        var schema = ModelInput.Schema(features);
        var trainData = ml.Data.LoadFromEnumerable(train.Select(r => FeatureVectors.Build(features, r.Customer, now, r.Offer, r.Label)).ToList(), schema);

        var settings = new Dictionary<string, string>
        {
            ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["hold_out_share"] = holdOutShare.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["reference_date"] = now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
        var prepare = ml.Transforms.ReplaceMissingValues(nameof(ModelInput.Numeric), replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean)
            .Append(ml.Transforms.Categorical.OneHotEncoding("CategoricalOneHot", nameof(ModelInput.Categorical)))
            .Append(ml.Transforms.Concatenate("Features", nameof(ModelInput.Numeric), "CategoricalOneHot"))
            .Append(ml.Transforms.NormalizeMinMax("Features"));
        IEstimator<ITransformer> pipeline;
        if (learner == Learner.LogisticRegression)
        {
            settings["l2_regularization"] = "1";
            pipeline = prepare.Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(nameof(ModelInput.Label), "Features", l2Regularization: 1f));
        }
        else
        {
            settings["trees"] = "200";
            settings["leaves"] = "16";
            settings["min_leaf"] = "50";
            settings["learning_rate"] = "0.05";
            pipeline = prepare.Append(ml.BinaryClassification.Trainers.FastTree(nameof(ModelInput.Label), "Features", numberOfLeaves: 16, numberOfTrees: 200, minimumExampleCountPerLeaf: 50, learningRate: 0.05));
        }

        progress?.Report($"training {learner} on {train.Count} rows");
        var transformer = pipeline.Fit(trainData);

        progress?.Report($"evaluating on {test.Count} hold-out rows");
        var engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(transformer, inputSchemaDefinition: schema);
        var predictions = test.Select(r => (engine.Predict(FeatureVectors.Build(features, r.Customer, now, r.Offer)).Probability, r.Label)).ToList();
        var evaluation = BinaryEvaluation.Of(predictions);

        using var model = new MemoryStream();
        ml.Model.Save(transformer, trainData.Schema, model);
        var bytes = model.ToArray();
        var sha = ModelBundle.Sha256(bytes);
        var trainedAt = DateTime.UtcNow;
        var manifest = new ModelManifest
        {
            Kind = kind,
            Version = $"{kind.ToString().ToLowerInvariant()}-{trainedAt:yyyy-MM-dd}-{sha[..8]}",
            CreatedAt = trainedAt,
            Trainer = learner == Learner.LogisticRegression ? "LbfgsLogisticRegression" : "FastTree",
            TrainerSettings = settings,
            TrainingData = trainingData,
            Features = [.. features],
            Metrics = evaluation.ToMetrics(),
            ContentSha256 = sha,
            LabelColumn = HoldoutLabel,
        };
        return new TrainedModel(new ModelBundle(manifest, bytes, Holdout(test, holdoutColumns ?? features, now)), evaluation);
    }

    /// <summary>The label column of the validation sets it writes.</summary>
    public const string HoldoutLabel = "label";

    /// <summary>Rows as a validation set: the columns by name, as the export writes them, then the label.</summary>
    public static byte[] Holdout(IEnumerable<TrainingRow> rows, IReadOnlyList<FeatureSpec> columns, DateTime now)
    {
        var csv = new System.Text.StringBuilder(CsvRecords.Line([.. columns.Select(f => f.Name), HoldoutLabel]));
        foreach (var row in rows)
        {
            csv.Append(CsvRecords.Line([.. TrainingRows.Values(row.Customer, columns, now, row.Offer), row.Label ? "1" : "0"]));
        }

        return System.Text.Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>Splits rows by group so one customer's rows never sit on both sides.</summary>
    public static (List<TrainingRow> Train, List<TrainingRow> Test) Split(IReadOnlyList<TrainingRow> rows, double holdOutShare, int seed)
    {
        var random = new Random(seed);
        var groups = rows.Select(r => r.GroupKey).Distinct().OrderBy(g => g, StringComparer.Ordinal).ToList();
        var test = groups.Where(_ => random.NextDouble() < holdOutShare).ToHashSet(StringComparer.Ordinal);
        return ([.. rows.Where(r => !test.Contains(r.GroupKey))], [.. rows.Where(r => test.Contains(r.GroupKey))]);
    }
}
