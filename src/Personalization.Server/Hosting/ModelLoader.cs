using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;

namespace Personalization.Server.Hosting;

/// <summary>
/// Loads the newest bundle of each kind from the models folder at start-up. A missing or invalid
/// bundle is logged and leaves that kind without a model (decisions fall back to priors); it does
/// not stop the service.
/// </summary>
public sealed partial class ModelLoader(ScoringService scoring, ModelSettings settings, IHostEnvironment environment, ILogger<ModelLoader> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var root = Path.Combine(environment.ContentRootPath, settings.Directory);
        // Every folder named as a kind (churn, offer, clv, purchase-propensity, ...) with bundles in it holds that kind's bundles.
        var kinds = Directory.Exists(root)
            ? Directory.GetDirectories(root).Where(d => Directory.EnumerateFiles(d, "*.zip").Any()).Select(Path.GetFileName).Where(n => ModelKind.Problem(n!) is null).Select(n => new ModelKind(n!))
            : [];
        foreach (var kind in kinds.Union([ModelKind.Churn, ModelKind.Offer]))
        {
            var folder = Path.Combine(root, kind.Name);
            var newest = Directory.Exists(folder) ? new DirectoryInfo(folder).GetFiles("*.zip").MaxBy(f => f.LastWriteTimeUtc) : null;
            if (newest is null)
            {
                LogNoBundle(logger, kind, folder);
                continue;
            }

            try
            {
                var bundle = ModelBundle.Read(newest.FullName);
                if (bundle.Manifest.Kind != kind)
                {
                    throw new InvalidModelBundleException($"the bundle is a {bundle.Manifest.Kind} model in the {kind} folder");
                }

                var model = scoring.Activate(bundle);
                LogLoaded(logger, kind, model.Version, newest.FullName);
            }
            catch (InvalidModelBundleException ex)
            {
                LogRejected(logger, kind, newest.FullName, ex.Message);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Kind} {Version} active (from {Path})")]
    private static partial void LogLoaded(ILogger logger, ModelKind kind, string version, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No {Kind} model bundle in {Folder}; {Kind} scores are unavailable until one is activated")]
    private static partial void LogNoBundle(ILogger logger, ModelKind kind, string folder);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model bundle {Path} for {Kind} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, ModelKind kind, string path, string reason);
}
