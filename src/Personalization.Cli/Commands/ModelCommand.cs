using System.CommandLine;
using Personalization.Scoring.Training;
using Spectre.Console;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize model train --kind churn|offer</c>: trains a model bundle and its card into models/ (the lifecycle commands are in <see cref="ModelLifecycleCommands"/>).</summary>
public static class ModelCommand
{
    public static Command Create()
    {
        var kind = new Option<string>("--kind") { Description = "churn or offer.", Required = true };
        kind.AcceptOnlyFromAmong("churn", "offer");
        var data = new Option<DirectoryInfo>("--data") { Description = "The data sets folder.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("models", "data")) };
        var output = new Option<DirectoryInfo>("--out") { Description = "Where bundles and model cards go.", DefaultValueFactory = _ => new DirectoryInfo("models") };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed and data give the same model.", DefaultValueFactory = _ => ModelTraining.DefaultSeed };
        var train = new Command("train", "Train a model on the data sets and write the bundle, model card and ROC curve.") { kind, data, output, seed };
        train.SetAction(parse =>
        {
            var folder = parse.GetValue(data)!.FullName;
            var console = GlobalOptions.Console(parse);
            TrainedModel trained = null!;
            console.Status().Start("training", status =>
            {
                var progress = new Progress<string>(step => status.Status(step));
                trained = parse.GetValue(kind) == "churn"
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
}
