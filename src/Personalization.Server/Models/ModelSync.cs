using System.Diagnostics.Metrics;
using Personalization.Contracts.Models;
using Personalization.Grains.Models;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;
using Personalization.Server.Hosting;
using Personalization.Server.Observability;

namespace Personalization.Server.Models;

/// <summary>
/// Keeps this silo serving what the model registry says: every <see cref="ModelSettings.SyncInterval"/>
/// it asks for changes, loads new champions and challengers from blob storage (checking the hash)
/// and swaps them in atomically. The first sync runs at start-up, so a silo that starts later serves
/// the active versions from its first decision; until the registry has an active version of a kind,
/// the shipped bundle of that kind serves. It also drains this silo's per-version counts to the registry.
/// </summary>
public sealed partial class ModelSync(IGrainFactory grains, ScoringService scoring, ModelStore store, ModelResultsCounter counts, ModelSettings settings, ILogger<ModelSync> logger, IMeterFactory meters)
    : BackgroundService
{
    private long _known = -1;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        ObservabilityExtensions.PublishModelVersions(meters, scoring);
        try
        {
            await SeedAsync(cancellationToken);
            await SyncAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSyncFailed(logger, ex.Message);
        }

        await base.StartAsync(cancellationToken);
    }

    /// <summary>Brings this silo's models up to the registry's version now.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var registry = grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey);
        if (await registry.Serving(_known) is not { } serving)
        {
            return;
        }

        foreach (var (kindName, kind) in serving.Kinds)
        {
            var modelKind = new ModelKind(kindName);
            if (kind.Champion is { } champion && scoring.Active(modelKind)?.Version != champion)
            {
                scoring.Activate(await LoadAsync(kind.ChampionSha256!, cancellationToken));
                LogServing(logger, kindName, champion, "champion");
            }

            var current = scoring.Challenger(modelKind);
            if (kind.Challenger is { } challenger)
            {
                var model = current?.Model.Version == challenger ? current.Model : await LoadAsync(kind.ChallengerSha256!, cancellationToken);
                scoring.SetChallenger(modelKind, model, kind.ChallengerShare);
            }
            else if (current is not null)
            {
                scoring.SetChallenger(modelKind, null, 0);
            }
        }

        _known = serving.Version;
    }

    // The bundles this silo loaded from its models folder seed the registry when it has none of a kind.
    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var kind in scoring.ActiveKinds)
        {
            if (scoring.Active(kind) is not { } shipped)
            {
                continue;
            }

            var bytes = shipped.Bundle.ToBytes();
            var sha = ModelBundle.Sha256(bytes);
            await store.PutAsync(sha, bytes, cancellationToken);
            await grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).Seed(ModelEntries.From(shipped.Bundle.Manifest, sha, bytes.Length));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.SyncInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SyncAsync(stoppingToken);
                if (counts.Drain() is { Count: > 0 } drained)
                {
                    await grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.DefaultKey).AddResults(drained);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The next tick tries again; the silo keeps serving the models it has.
                LogSyncFailed(logger, ex.Message);
            }
        }
    }

    private async Task<LoadedModel> LoadAsync(string sha256, CancellationToken cancellationToken)
    {
        var bytes = await store.GetAsync(sha256, cancellationToken);
        if (ModelBundle.Sha256(bytes) != sha256)
        {
            throw new InvalidModelBundleException($"the stored bundle {sha256} does not match its hash");
        }

        using var stream = new MemoryStream(bytes);
        return scoring.Load(ModelBundle.Read(stream));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving {Kind} {Version} as {Arm}")]
    private static partial void LogServing(ILogger logger, string kind, string version, string arm);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model sync failed: {Reason}")]
    private static partial void LogSyncFailed(ILogger logger, string reason);
}
