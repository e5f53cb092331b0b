using Personalization.Contracts.Campaigns;
using Personalization.Contracts.Persistence;
using Personalization.Contracts.Segments;
using Personalization.Decisioning.Segments;

namespace Personalization.Grains.Segments;

/// <summary>Holds the segment definitions; every change is written before the call returns.</summary>
public sealed class SegmentRegistryGrain(
    [PersistentState("segments", StorageNames.Grains)] IPersistentState<SegmentRegistryState> registry,
    TimeProvider time) : Grain, ISegmentRegistryGrain
{
    private SegmentSnapshot? _snapshot;
    private IGrainTimer? _flush;

    private Dictionary<string, SegmentDefinition> Segments => registry.State.Segments;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<SegmentResult> Create(SegmentDefinition segment)
    {
        if (Segments.TryGetValue(segment.Name, out var existing))
        {
            return new SegmentResult(SegmentResultStatus.AlreadyExists, existing, [$"segment.name: a segment '{segment.Name}' exists."]);
        }

        if (Invalid(segment) is { } invalid)
        {
            return invalid;
        }

        var version = registry.State.Version + 1;
        var saved = segment with { Generation = version, CreatedAt = Now, UpdatedAt = Now, Backfilling = true, BackfillProgress = 0 };
        await SaveAsync(saved, version);
        await GrainFactory.GetGrain<ISegmentGrain>(saved.Name).Backfill(saved.Generation, version);
        return new SegmentResult(SegmentResultStatus.Ok, saved, []);
    }

    public async Task<SegmentResult> Update(SegmentDefinition segment)
    {
        if (!Segments.TryGetValue(segment.Name, out var current))
        {
            return NotFound(segment.Name);
        }

        if (Invalid(segment) is { } invalid)
        {
            return invalid;
        }

        var version = registry.State.Version + 1;
        var ruleChanged = segment.Rule != current.Rule;
        var saved = current with
        {
            Description = segment.Description,
            Rule = segment.Rule,
            UpdatedAt = Now,
            Generation = ruleChanged ? version : current.Generation,
            Backfilling = ruleChanged || current.Backfilling,
            BackfillProgress = ruleChanged ? 0 : current.BackfillProgress,
        };
        await SaveAsync(saved, version);
        if (ruleChanged)
        {
            // Customers re-evaluate every segment, so segments reading this one follow in the same walk.
            await GrainFactory.GetGrain<ISegmentGrain>(saved.Name).Backfill(saved.Generation, version);
        }

        return new SegmentResult(SegmentResultStatus.Ok, saved, []);
    }

    public async Task<SegmentResult> Delete(string name)
    {
        if (!Segments.TryGetValue(name, out var current))
        {
            return NotFound(name);
        }

        if (SegmentRules.Dependents(name, Segments.Values).FirstOrDefault() is { } dependent)
        {
            return new SegmentResult(SegmentResultStatus.InUse, current, [$"name: segment '{dependent}' reads '{name}' with in_segment; change it first."]);
        }

        if (await GrainFactory.GetGrain<ICampaignRegistryGrain>(ICampaignRegistryGrain.DefaultKey).Targets(name))
        {
            return new SegmentResult(SegmentResultStatus.InUse, current, [$"name: an unfinished campaign targets '{name}'; complete or cancel it first."]);
        }

        Segments.Remove(name);
        registry.State.Version++;
        _snapshot = null;
        await registry.WriteStateAsync();
        await GrainFactory.GetGrain<ISegmentGrain>(name).Clear();
        return new SegmentResult(SegmentResultStatus.Ok, current, []);
    }

    public Task<SegmentResult> Get(string name) =>
        Task.FromResult(Segments.TryGetValue(name, out var segment) ? new SegmentResult(SegmentResultStatus.Ok, segment, []) : NotFound(name));

    public Task<List<SegmentDefinition>> List(string? after, int max) =>
        Task.FromResult(Segments.Values
            .Where(s => after is null || string.CompareOrdinal(s.Name, after) > 0)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Take(max)
            .ToList());

    // Interleaves: customers of a backfill this registry is starting ask for it while the registry waits.
    public Task<SegmentSnapshot?> Snapshot(long knownVersion)
    {
        if (knownVersion == registry.State.Version)
        {
            return Task.FromResult<SegmentSnapshot?>(null);
        }

        _snapshot ??= new SegmentSnapshot(registry.State.Version, SegmentRules.Order(Segments.Values));
        return Task.FromResult<SegmentSnapshot?>(_snapshot);
    }

    // Interleaves for the same reason; it only changes memory and leaves the write to a timer (never two writes at once).
    public Task ReportBackfill(string name, long generation, double progress, bool done)
    {
        if (Segments.TryGetValue(name, out var segment) && segment.Generation == generation)
        {
            // Progress is display only and not part of the snapshot's version; a finished backfill is saved.
            Segments[name] = segment with { BackfillProgress = done ? 1 : Math.Clamp(progress, 0, 1), Backfilling = !done };
            _flush ??= done ? this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan)) : null;
        }

        return Task.CompletedTask;
    }

    // Disposing a timer cancels its running callback's token: write first, then let the timer go.
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await registry.WriteStateAsync(cancellationToken);
        _flush?.Dispose();
        _flush = null;
    }

    private SegmentResult? Invalid(SegmentDefinition segment)
    {
        var errors = SegmentRules.Validate(segment, Segments.Values);
        return errors.Count == 0 ? null : new SegmentResult(SegmentResultStatus.Invalid, null, [.. errors.Select(e => e.ToString())]);
    }

    private async Task SaveAsync(SegmentDefinition segment, long version)
    {
        var (before, beforeVersion) = (Segments.GetValueOrDefault(segment.Name), registry.State.Version);
        Segments[segment.Name] = segment;
        registry.State.Version = version;
        _snapshot = null;
        try
        {
            await registry.WriteStateAsync();
        }
        catch
        {
            // Nothing half-applied: what was not stored is not kept either.
            if (before is null)
            {
                Segments.Remove(segment.Name);
            }
            else
            {
                Segments[segment.Name] = before;
            }

            registry.State.Version = beforeVersion;
            throw;
        }
    }

    private static SegmentResult NotFound(string name) => new(SegmentResultStatus.NotFound, null, [$"name: no segment '{name}'."]);
}
