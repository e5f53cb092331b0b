using Personalization.Contracts.Models;
using Personalization.Contracts.Persistence;

namespace Personalization.Grains.Models;

/// <summary>Keeps the model versions; every change that affects serving is written before the call returns.</summary>
public sealed class ModelRegistryGrain(
    [PersistentState("models", StorageNames.Grains)] IPersistentState<ModelRegistryState> registry,
    TimeProvider time) : Grain, IModelRegistryGrain
{
    /// <summary>Largest challenger share.</summary>
    public const double MaxChallengerShare = 0.5;

    private static readonly TimeSpan CountsWriteDelay = TimeSpan.FromSeconds(5);
    private IGrainTimer? _countsWrite;

    private ModelRegistryState State => registry.State;

    public async Task<ModelResult> Register(ModelEntry entry)
    {
        var key = ModelEntry.KeyOf(entry.Kind, entry.Version);
        if (State.Entries.TryGetValue(key, out var known))
        {
            return known.Sha256 == entry.Sha256
                ? new ModelResult(ModelResultStatus.Ok, known, "")
                : new ModelResult(ModelResultStatus.AlreadyExists, known, $"version: {entry.Kind} version '{entry.Version}' exists with another bundle (sha256 {known.Sha256}); give the new one its own version.");
        }

        var staged = entry with { Status = ModelEntryStatus.Staged, PushedAt = time.GetUtcNow().UtcDateTime };
        State.Entries[key] = staged;
        await SaveAsync(servingChanged: false, () => State.Entries.Remove(key));
        return new ModelResult(ModelResultStatus.Ok, staged, "");
    }

    public async Task<ModelResult> Seed(ModelEntry entry)
    {
        var registered = await Register(entry);
        return registered.Status == ModelResultStatus.Ok && History(entry.Kind).Count == 0
            ? await Activate(entry.Kind, entry.Version, null, "")
            : registered;
    }

    public Task<List<ModelEntry>> List(string? kind) =>
        Task.FromResult(State.Entries.Values.Where(e => kind is null || e.Kind == kind).OrderByDescending(e => e.PushedAt).ThenBy(e => e.Version, StringComparer.Ordinal).ToList());

    public Task<ModelResult> Get(string kind, string version) =>
        Task.FromResult(State.Entries.TryGetValue(ModelEntry.KeyOf(kind, version), out var entry) ? new ModelResult(ModelResultStatus.Ok, entry, "") : NotFound(kind, version));

    public async Task<ModelResult> Activate(string kind, string version, IReadOnlyDictionary<string, double>? measured, string measuredOn)
    {
        if (!State.Entries.TryGetValue(ModelEntry.KeyOf(kind, version), out var entry))
        {
            return NotFound(kind, version);
        }

        if (entry.Status == ModelEntryStatus.Rejected)
        {
            return new ModelResult(ModelResultStatus.WrongState, entry, $"version: '{version}' was rejected ({entry.RejectionReason}).");
        }

        var before = Snapshot();
        var history = History(kind);
        if (history.Count > 0 && history[^1] == version)
        {
            if (measured is null)
            {
                return new ModelResult(ModelResultStatus.Ok, entry, "");
            }

            // Re-activating the champion records what it measures now.
            var remeasured = Set(kind, version, e => e with { MeasuredMetrics = measured, MeasuredOn = measuredOn });
            await SaveAsync(servingChanged: false, before);
            return new ModelResult(ModelResultStatus.Ok, remeasured, "");
        }

        if (history.Count > 0)
        {
            Set(kind, history[^1], e => e with { Status = ModelEntryStatus.Retired });
        }

        history.Add(version);
        if (State.Splits.TryGetValue(kind, out var split) && split.Version == version)
        {
            State.Splits.Remove(kind);
        }

        var active = Set(kind, version, e => e with { Status = ModelEntryStatus.Active, ActivatedAt = time.GetUtcNow().UtcDateTime, MeasuredMetrics = measured ?? e.MeasuredMetrics, MeasuredOn = measured is null ? e.MeasuredOn : measuredOn });
        await SaveAsync(servingChanged: true, before);
        return new ModelResult(ModelResultStatus.Ok, active, "");
    }

    public async Task<ModelResult> Reject(string kind, string version, string reason)
    {
        if (!State.Entries.ContainsKey(ModelEntry.KeyOf(kind, version)))
        {
            return NotFound(kind, version);
        }

        var before = Snapshot();
        var rejected = Set(kind, version, e => e with { Status = ModelEntryStatus.Rejected, RejectionReason = reason });
        await SaveAsync(servingChanged: false, before);
        return new ModelResult(ModelResultStatus.Ok, rejected, "");
    }

    public async Task<ModelResult> Rollback(string kind)
    {
        var history = History(kind);
        if (history.Count < 2)
        {
            return new ModelResult(ModelResultStatus.WrongState, null, $"kind: no earlier {kind} version was active to roll back to.");
        }

        var before = Snapshot();
        var current = history[^1];
        history.RemoveAt(history.Count - 1);
        Set(kind, current, e => e with { Status = ModelEntryStatus.Retired });
        var restored = Set(kind, history[^1], e => e with { Status = ModelEntryStatus.Active, ActivatedAt = time.GetUtcNow().UtcDateTime });
        await SaveAsync(servingChanged: true, before);
        return new ModelResult(ModelResultStatus.Ok, restored, "");
    }

    public async Task<ModelResult> SetSplit(string kind, string? challenger, double share)
    {
        if (double.IsNaN(share) || share is < 0 or > MaxChallengerShare)
        {
            return new ModelResult(ModelResultStatus.WrongState, null, $"split.challenger_share: between 0 and {MaxChallengerShare}, got {share}.");
        }

        var before = Snapshot();
        if (State.Splits.TryGetValue(kind, out var old))
        {
            State.Splits.Remove(kind);
            Set(kind, old.Version, e => e.Status == ModelEntryStatus.Challenger ? e with { Status = ModelEntryStatus.Staged } : e);
        }

        ModelEntry? entry = null;
        if (!string.IsNullOrEmpty(challenger) && share > 0)
        {
            if (!State.Entries.TryGetValue(ModelEntry.KeyOf(kind, challenger), out entry))
            {
                Restore(before);
                return NotFound(kind, challenger);
            }

            if (entry.Status is ModelEntryStatus.Rejected or ModelEntryStatus.Active)
            {
                Restore(before);
                return new ModelResult(ModelResultStatus.WrongState, entry, $"split.challenger_version: '{challenger}' is {entry.Status.ToString().ToLowerInvariant()}; a challenger must be a staged or retired version.");
            }

            if (History(kind).Count == 0)
            {
                Restore(before);
                return new ModelResult(ModelResultStatus.WrongState, entry, $"split.champion_version: no {kind} version is active to split traffic with.");
            }

            State.Splits[kind] = (challenger, share);
            entry = Set(kind, challenger, e => e with { Status = ModelEntryStatus.Challenger });
        }

        await SaveAsync(servingChanged: true, before);
        return new ModelResult(ModelResultStatus.Ok, entry, "");
    }

    public Task<ServingModels?> Serving(long knownVersion)
    {
        if (knownVersion == State.Version)
        {
            return Task.FromResult<ServingModels?>(null);
        }

        var kinds = new Dictionary<string, ServingKind>(StringComparer.Ordinal);
        foreach (var kind in State.History.Keys.Union(State.Splits.Keys))
        {
            var champion = State.History.TryGetValue(kind, out var h) && h.Count > 0 ? State.Entries[ModelEntry.KeyOf(kind, h[^1])] : null;
            var challenger = State.Splits.TryGetValue(kind, out var split) ? State.Entries[ModelEntry.KeyOf(kind, split.Version)] : null;
            kinds[kind] = new ServingKind(champion?.Version, champion?.Sha256, challenger?.Version, challenger?.Sha256, challenger is null ? 0 : split.Share);
        }

        return Task.FromResult<ServingModels?>(new ServingModels(State.Version, kinds));
    }

    public Task AddResults(List<ArmCount> counts)
    {
        foreach (var count in counts)
        {
            var key = ModelEntry.KeyOf(count.Kind, count.Version);
            var totals = State.Counts.TryGetValue(key, out var known) ? known : State.Counts[key] = new long[3];
            totals[0] += count.Decisions;
            totals[1] += count.Outcomes;
            totals[2] += count.Conversions;
        }

        // Counts are evidence, not serving state: written within a few seconds (a crash loses at most those).
        _countsWrite ??= this.RegisterGrainTimer(WriteCountsAsync, new GrainTimerCreationOptions(CountsWriteDelay, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    public Task<List<ArmCount>> Results(string kind) =>
        Task.FromResult(State.Counts
            .Where(c => c.Key.StartsWith(kind + "/", StringComparison.Ordinal))
            .Select(c => new ArmCount(kind, c.Key[(kind.Length + 1)..], c.Value[0], c.Value[1], c.Value[2]))
            .ToList());

    private async Task WriteCountsAsync(CancellationToken cancellationToken)
    {
        await registry.WriteStateAsync(cancellationToken);
        _countsWrite?.Dispose();
        _countsWrite = null;
    }

    private List<string> History(string kind) => State.History.TryGetValue(kind, out var history) ? history : State.History[kind] = [];

    private ModelEntry Set(string kind, string version, Func<ModelEntry, ModelEntry> change)
    {
        var key = ModelEntry.KeyOf(kind, version);
        return State.Entries[key] = change(State.Entries[key]);
    }

    // What a failed write must undo, so a rejected command changes nothing.
    private (Dictionary<string, ModelEntry>, Dictionary<string, List<string>>, Dictionary<string, (string, double)>, long) Snapshot() =>
        (new(State.Entries, StringComparer.Ordinal), State.History.ToDictionary(h => h.Key, h => h.Value.ToList(), StringComparer.Ordinal), new(State.Splits, StringComparer.Ordinal), State.Version);

    private void Restore((Dictionary<string, ModelEntry> Entries, Dictionary<string, List<string>> History, Dictionary<string, (string, double)> Splits, long Version) before)
    {
        State.Entries = before.Entries;
        State.History = before.History;
        State.Splits = before.Splits;
        State.Version = before.Version;
    }

    private async Task SaveAsync(bool servingChanged, (Dictionary<string, ModelEntry>, Dictionary<string, List<string>>, Dictionary<string, (string, double)>, long) before)
    {
        if (servingChanged)
        {
            State.Version++;
        }

        try
        {
            await registry.WriteStateAsync();
        }
        catch
        {
            Restore(before);
            throw;
        }
    }

    private async Task SaveAsync(bool servingChanged, Action undo)
    {
        try
        {
            await SaveAsync(servingChanged, Snapshot());
        }
        catch
        {
            undo();
            throw;
        }
    }

    private static ModelResult NotFound(string kind, string version) => new(ModelResultStatus.NotFound, null, $"version: no {kind} version '{version}'.");
}
