using System.CommandLine;
using Personalization.Scoring.Training;
using Spectre.Console;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize model train --kind churn|offer</c>: trains a model bundle and its card into models/ (the lifecycle commands are in <see cref="ModelLifecycleCommands"/>).</summary>
public static class ModelCommand
{
    public static Command Create()
    {
        var kind = new Option<string>("--kind") { Description = "churn or offer; with --rows, any probability kind.", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "The data sets folder.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("models", "data")) };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where bundles and model cards go.", DefaultValueFactory = _ => new DirectoryInfo("models") };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed and data give the same model.", DefaultValueFactory = _ => ModelTraining.DefaultSeed };
        var rows = new Option<FileInfo?>("--rows") { Description = "Train on the CSV 'data export' wrote (features by name as exported) instead of the shipped data sets." };
        var label = new Option<string?>("--label") { Description = "The label column of --rows (default: churned for churn, accepted for offer)." };
        var learner = new Option<string?>("--learner") { Description = "logistic or fasttree (default: logistic for churn, fasttree for offer)." };
        learner.AcceptOnlyFromAmong("logistic", "fasttree");
        var train = new Command("train", "Train a model on the data sets (or on exported rows) and write the bundle, model card and ROC curve.") { kind, data, output, seed, rows, label, learner };
        train.SetAction(parse =>
        {
            var folder = parse.GetValue(data)!.FullName;
            var console = GlobalOptions.Console(parse);
            var kindName = parse.GetValue(kind)!;
            var problem = Scoring.Bundles.ModelKind.Problem(kindName)
                ?? (parse.GetValue(rows) is null && kindName is not ("churn" or "offer") ? "--kind: without --rows, churn or offer (the shipped data sets)." : null);
            if (problem is not null)
            {
                parse.InvocationConfiguration.Error.WriteLine(problem);
                return 2;
            }

            TrainedModel trained = null!;
            console.Status().Start("training", status =>
            {
                var progress = new Progress<string>(step => status.Status(step));
                var chosen = parse.GetValue(learner) ?? (kindName == "offer" ? "fasttree" : "logistic");
                trained = parse.GetValue(rows) is { } exported
                    ? TrainOnExport(kindName, exported, parse.GetValue(label) ?? (kindName == "offer" ? "accepted" : "churned"), chosen == "fasttree" ? ModelTrainer.Learner.FastTree : ModelTrainer.Learner.LogisticRegression, parse.GetValue(seed), progress)
                    : kindName == "churn"
                    ? ModelTraining.TrainChurn(Path.Combine(folder, "telco-churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv"), parse.GetValue(seed), progress)
                    : ModelTraining.TrainOffer(Path.Combine(folder, "offer-portfolio", "portfolio.json"), Path.Combine(folder, "offer-portfolio", "profile.json"), parse.GetValue(seed), progress);
            });

            var path = ModelCard.Write(parse.GetValue(output)!.FullName, trained);
            var writer = parse.InvocationConfiguration.Output;
            writer.WriteLine($"{trained.Bundle.Manifest.Version} written to {path}");
            foreach (var (name, value) in trained.Bundle.Manifest.Metrics)
            {
                writer.WriteLine($"  {name,-30} {value:0.0000}");
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

    private static TrainedModel TrainOnExport(string kind, FileInfo file, string label, ModelTrainer.Learner learner, int seed, IProgress<string> progress)
    {
        progress.Report($"reading {file.Name}");
        using var reader = new StreamReader(file.FullName);
        var rows = ExportedRows.Read(reader, label);
        return ModelTrainer.Train(new Scoring.Bundles.ModelKind(kind), rows, learner, seed,
            $"{rows.Rows.Count} exported rows of {file.Name} (label {label}); 80/20 split by customer", progress: progress);
    }
}
