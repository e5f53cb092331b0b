using System.CommandLine;
using Personalization.Scoring.Training;
using Spectre.Console;

namespace Personalization.Cli.Commands;

/// <summary>
/// <c>personalize model train --kind churn|offer</c> (the shipped data sets) or <c>--kind KIND --rows FILE</c>
/// (what <c>data export</c> wrote: churn, offer, clv, purchase-propensity, any kind): trains a model bundle and
/// its card into models/ (the lifecycle commands are in <see cref="ModelLifecycleCommands"/>).
/// </summary>
public static class ModelCommand
{
    public static Command Create()
    {
        var kind = new Option<string>("--kind") { Description = "churn or offer; with --rows, any kind (clv is a value, the others probabilities unless --output says).", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "The data sets folder.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("models", "data")) };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where bundles and model cards go.", DefaultValueFactory = _ => new DirectoryInfo("models") };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed and data give the same model.", DefaultValueFactory = _ => ModelTraining.DefaultSeed };
        var rows = new Option<FileInfo?>("--rows") { Description = "Train on the CSV 'data export' wrote (features by name as exported) instead of the shipped data sets." };
        var label = new Option<string?>("--label") { Description = "The label column of --rows (default: churned for churn, accepted for offer, future_revenue for clv, purchased otherwise)." };
        var learner = new Option<string?>("--learner") { Description = "logistic or fasttree for probabilities, fasttree or sdca for values (default: fasttree for offer and values, logistic otherwise)." };
        learner.AcceptOnlyFromAmong("logistic", "fasttree", "sdca");
        var answer = new Option<string?>("--output") { Description = "With --rows: probability (a binary label) or value (a numeric label, a regression); default value for clv, probability otherwise." };
        answer.AcceptOnlyFromAmong("probability", "value");
        var train = new Command("train", "Train a model on the data sets (or on exported rows) and write the bundle, model card and ROC curve.") { kind, data, output, seed, rows, label, learner, answer };
        train.SetAction(parse =>
        {
            var folder = parse.GetValue(data)!.FullName;
            var console = GlobalOptions.Console(parse);
            var kindName = parse.GetValue(kind)!;
            var value = (parse.GetValue(answer) ?? (kindName == "clv" ? "value" : "probability")) == "value";
            var chosen = parse.GetValue(learner) ?? (kindName == "offer" || value ? "fasttree" : "logistic");
            var problem = Scoring.Bundles.ModelKind.Problem(kindName)
                ?? (parse.GetValue(rows) is null && kindName is not ("churn" or "offer") ? "--kind: without --rows, churn or offer (the shipped data sets)." : null)
                ?? (value && kindName is "churn" or "offer" ? $"--output: {kindName} is a probability." : null)
                ?? (value && chosen == "logistic" ? "--learner: a value model trains with fasttree or sdca." : null)
                ?? (!value && chosen == "sdca" ? "--learner: sdca trains value models; logistic or fasttree for a probability." : null);
            if (problem is not null)
            {
                parse.InvocationConfiguration.Error.WriteLine(problem);
                return 2;
            }

            TrainedModel trained = null!;
            console.Status().Start("training", status =>
            {
                var progress = new Progress<string>(step => status.Status(step));
                var defaultLabel = kindName switch
                {
                    "churn" => "churned",
                    "offer" => "accepted",
                    _ => value ? Decisioning.Learning.SnapshotRows.RevenueLabel : Decisioning.Learning.SnapshotRows.PurchasedLabel,
                };
                var trainer = chosen switch { "fasttree" => ModelTrainer.Learner.FastTree, "sdca" => ModelTrainer.Learner.Sdca, _ => ModelTrainer.Learner.LogisticRegression };
                trained = parse.GetValue(rows) is { } exported
                    ? TrainOnExport(kindName, exported, parse.GetValue(label) ?? defaultLabel, trainer, value, parse.GetValue(seed), progress)
                    : kindName == "churn"
                    ? ModelTraining.TrainChurn(Path.Combine(folder, "telco-churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv"), parse.GetValue(seed), progress)
                    : ModelTraining.TrainOffer(Path.Combine(folder, "offer-portfolio", "portfolio.json"), Path.Combine(folder, "offer-portfolio", "profile.json"), parse.GetValue(seed), progress);
            });

            var path = ModelCard.Write(parse.GetValue(output)!.FullName, trained);
            var writer = parse.InvocationConfiguration.Output;
            writer.WriteLine($"{trained.Bundle.Manifest.Version} written to {path}");
            foreach (var (name, figure) in trained.Bundle.Manifest.Metrics)
            {
                writer.WriteLine($"  {name,-30} {figure:0.0000}");
            }

            return 0;
        });

        var model = new Command("model", "Train models and ship them: push, activate, roll back, split, compare.") { train };
        foreach (var command in ModelLifecycleCommands.Create())
        {
            model.Subcommands.Add(command);
        }

        return model;
    }

    private static TrainedModel TrainOnExport(string kind, FileInfo file, string label, ModelTrainer.Learner learner, bool value, int seed, IProgress<string> progress)
    {
        progress.Report($"reading {file.Name}");
        using var reader = new StreamReader(file.FullName);
        var rows = ExportedRows.Read(reader, label, value);
        var data = $"{rows.Rows.Count} exported rows of {file.Name} (label {label}); 80/20 split by customer";
        return value
            ? ModelTrainer.TrainValue(new Scoring.Bundles.ModelKind(kind), rows, learner, seed, data, progress: progress)
            : ModelTrainer.Train(new Scoring.Bundles.ModelKind(kind), rows, learner, seed, data, progress: progress);
    }
}
