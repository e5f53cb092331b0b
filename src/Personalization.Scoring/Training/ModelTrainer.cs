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

        /// <summary>Boosted decision trees (FastTree): calibrated for probabilities; for values a Tweedie regression (non-negative, heavy-tailed amounts such as spend).</summary>
        FastTree,

        /// <summary>SDCA linear regression on normalized numbers and one-hot categories (value models).</summary>
        Sdca,
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
        var (train, test) = Split(rows, holdOutShare, seed);
        progress?.Report($"building {rows.Count} feature vectors");
        var settings = Settings(seed, holdOutShare);
        settings["reference_date"] = now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return Fit(kind, features,
            [.. train.Select(r => FeatureVectors.Build(features, r.Customer, now, r.Offer, r.Label))],
            [.. test.Select(r => (FeatureVectors.Build(features, r.Customer, now, r.Offer), r.Label))],
            learner, seed, settings, trainingData, Holdout(test, holdoutColumns ?? features, now), HoldoutLabel, progress);
    }

    /// <summary>
    /// Trains on rows <c>personalize data export</c> wrote (features by name as they were exported,
    /// the export's label), split by customer; the hold-out rows, as exported, are the bundle's
    /// validation set, so activation can measure the active model on them too.
    /// </summary>
    public static TrainedModel Train(ModelKind kind, ExportedRows rows, Learner learner, int seed, string trainingData, double holdOutShare = 0.2, IProgress<string>? progress = null)
    {
        var examples = rows.Examples();
        var held = HeldOutGroups(examples.Select(e => e.Group), holdOutShare, seed);
        var test = Enumerable.Range(0, examples.Count).Where(i => held.Contains(examples[i].Group)).ToList();
        if (learner == Learner.Sdca)
        {
            throw new ArgumentException("SDCA trains value models; use TrainValue.", nameof(learner));
        }

        return Fit(kind, rows.Features,
            [.. examples.Where(e => !held.Contains(e.Group)).Select(e => e.Input)],
            [.. test.Select(i => (examples[i].Input, examples[i].Label))],
            learner, seed, Settings(seed, holdOutShare), trainingData, rows.Holdout(test), rows.Label, progress);
    }

    /// <summary>
    /// Trains a value model (a regression: clv) on exported rows whose label is a number, split by
    /// customer like <see cref="Train(ModelKind, ExportedRows, Learner, int, string, double, IProgress{string}?)"/>;
    /// the manifest's metrics are the hold-out's RMSE, MAE and R² (<see cref="Validation.Measurement.Regression"/>)
    /// and the RMSE of always answering the training mean (<c>baseline_rmse</c>).
    /// </summary>
    public static TrainedModel TrainValue(ModelKind kind, ExportedRows rows, Learner learner, int seed, string trainingData, double holdOutShare = 0.2, IProgress<string>? progress = null)
    {
        if (learner == Learner.LogisticRegression)
        {
            throw new ArgumentException("a value model trains with FastTree or SDCA, not logistic regression.", nameof(learner));
        }

        var examples = rows.Examples();
        var held = HeldOutGroups(examples.Select(e => e.Group), holdOutShare, seed);
        var test = Enumerable.Range(0, examples.Count).Where(i => held.Contains(examples[i].Group)).ToList();
        var train = examples.Where(e => !held.Contains(e.Group)).Select(e => e.Input).ToList();
        if (train.Count == 0 || test.Count == 0)
        {
            throw new InvalidDataException($"{examples.Count} labelled rows leave no training or no hold-out customers; export more rows.");
        }

        var settings = Settings(seed, holdOutShare);
        var ml = new MLContext(seed);
        var schema = ModelInput.Schema(rows.Features);
        var trainData = ml.Data.LoadFromEnumerable(train, schema);
        var prepare = Prepare(ml);
        IEstimator<ITransformer> pipeline;
        if (learner == Learner.FastTree)
        {
            var minLeaf = Math.Clamp(train.Count / 50, 2, 50);
            (settings["trees"], settings["leaves"], settings["min_leaf"], settings["learning_rate"]) = ("100", "8", minLeaf.ToString(System.Globalization.CultureInfo.InvariantCulture), "0.05");
            pipeline = prepare.Append(ml.Regression.Trainers.FastTreeTweedie(nameof(ModelInput.Value), "Features", numberOfLeaves: 8, numberOfTrees: 100, minimumExampleCountPerLeaf: minLeaf, learningRate: 0.05));
        }
        else
        {
            settings["l2_regularization"] = "0.1";
            pipeline = prepare.Append(ml.Regression.Trainers.Sdca(nameof(ModelInput.Value), "Features", l2Regularization: 0.1f));
        }

        progress?.Report($"training {learner} regression on {train.Count} rows");
        var transformer = pipeline.Fit(trainData);
        progress?.Report($"evaluating on {test.Count} hold-out rows");
        var engine = ModelOutput.Engine(ml, transformer, schema, ModelOutputKind.Value);
        var answers = test.Select(i => engine.Predict(examples[i].Input).Score).ToList();
        var labels = test.Select(i => (double)examples[i].Input.Value).ToList();
        var metrics = Validation.Measurement.Regression(answers, labels);
        var mean = train.Average(t => (double)t.Value);
        metrics["baseline_rmse"] = Math.Round(Math.Sqrt(labels.Average(l => (l - mean) * (l - mean))), 4);
        metrics["rows"] = test.Count;
        if (answers.Any(a => !float.IsFinite(a)))
        {
            throw new InvalidDataException("the trained model answers a non-finite value on the hold-out rows.");
        }

        return new TrainedModel(Bundle(ml, transformer, trainData, kind, learner == Learner.FastTree ? "FastTreeTweedie" : "SdcaRegression", settings, trainingData, rows.Features, metrics, rows.Holdout(test), rows.Label, ModelOutputKind.Value), null);
    }

    private static IEstimator<ITransformer> Prepare(MLContext ml) =>
        ml.Transforms.ReplaceMissingValues(nameof(ModelInput.Numeric), replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean)
            .Append(ml.Transforms.Categorical.OneHotEncoding("CategoricalOneHot", nameof(ModelInput.Categorical)))
            .Append(ml.Transforms.Concatenate("Features", nameof(ModelInput.Numeric), "CategoricalOneHot"))
            .Append(ml.Transforms.NormalizeMinMax("Features"));

    private static ModelBundle Bundle(
        MLContext ml,
        ITransformer transformer,
        IDataView trainData,
        ModelKind kind,
        string trainer,
        Dictionary<string, string> settings,
        string trainingData,
        IReadOnlyList<FeatureSpec> features,
        Dictionary<string, double> metrics,
        byte[] holdout,
        string labelColumn,
        ModelOutputKind output)
    {
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
            Trainer = trainer,
            TrainerSettings = settings,
            TrainingData = trainingData,
            Features = [.. features],
            Metrics = metrics,
            ContentSha256 = sha,
            LabelColumn = labelColumn,
            Output = output,
        };
        return new ModelBundle(manifest, bytes, holdout);
    }

    private static Dictionary<string, string> Settings(int seed, double holdOutShare) => new()
    {
        ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["hold_out_share"] = holdOutShare.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static TrainedModel Fit(
        ModelKind kind,
        IReadOnlyList<FeatureSpec> features,
        List<ModelInput> train,
        List<(ModelInput Input, bool Label)> test,
        Learner learner,
        int seed,
        Dictionary<string, string> settings,
        string trainingData,
        byte[] holdout,
        string labelColumn,
        IProgress<string>? progress)
    {
        var ml = new MLContext(seed);
        var schema = ModelInput.Schema(features);
        var trainData = ml.Data.LoadFromEnumerable(train, schema);

        var prepare = Prepare(ml);
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
        var predictions = test.Select(r => (engine.Predict(r.Input).Probability, r.Label)).ToList();
        var evaluation = BinaryEvaluation.Of(predictions);

        return new TrainedModel(
            Bundle(ml, transformer, trainData, kind, learner == Learner.LogisticRegression ? "LbfgsLogisticRegression" : "FastTree", settings, trainingData, features, evaluation.ToMetrics(), holdout, labelColumn, ModelOutputKind.Probability),
            evaluation);
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
        var test = HeldOutGroups(rows.Select(r => r.GroupKey), holdOutShare, seed);
        return ([.. rows.Where(r => !test.Contains(r.GroupKey))], [.. rows.Where(r => test.Contains(r.GroupKey))]);
    }

    /// <summary>The groups (customers) held out: a seeded draw per distinct group, in ordinal order.</summary>
    public static HashSet<string> HeldOutGroups(IEnumerable<string> groups, double holdOutShare, int seed)
    {
        var random = new Random(seed);
        return groups.Distinct().OrderBy(g => g, StringComparer.Ordinal).Where(_ => random.NextDouble() < holdOutShare).ToHashSet(StringComparer.Ordinal);
    }
}
