using Personalization.Contracts.Journeys;
using Personalization.Contracts.Persistence;
using Personalization.Decisioning.Journeys;

namespace Personalization.Grains.Journeys;

/// <summary>
/// Holds every journey with all its versions; every change is written before the call returns and
/// nothing is kept that was not written. Validation happens here too (the edge validates first for
/// offers), so no invalid definition is ever saved.
/// </summary>
public sealed class JourneyRegistryGrain(
    [PersistentState("journeys", StorageNames.Grains)] IPersistentState<JourneyRegistryState> registry,
    TimeProvider time) : Grain, IJourneyRegistryGrain
{
    private JourneySnapshot? _snapshot;

    private Dictionary<string, JourneyRecord> Journeys => registry.State.Journeys;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<JourneyResult> Create(JourneyDefinition journey)
    {
        if (Journeys.ContainsKey(journey.JourneyId))
        {
            return new(JourneyResultStatus.AlreadyExists, null, $"journey.journey_id: a journey '{journey.JourneyId}' exists.");
        }

        if (Invalid(journey) is { } invalid)
        {
            return invalid;
        }

        var record = new JourneyRecord { Versions = [journey with { Version = 1, CreatedAt = Now }], Status = JourneyStatus.Draft, UpdatedAt = Now };
        await SaveAsync(journey.JourneyId, record);
        return Ok(record);
    }

    public async Task<JourneyResult> Update(JourneyDefinition journey)
    {
        if (!Journeys.TryGetValue(journey.JourneyId, out var current))
        {
            return NotFound(journey.JourneyId);
        }

        if (current.Status == JourneyStatus.Archived)
        {
            return WrongState(current, "an archived journey cannot change; create a new one.");
        }

        if (Invalid(journey) is { } invalid)
        {
            return invalid;
        }

        var record = new JourneyRecord
        {
            Versions = [.. current.Versions, journey with { Version = current.Versions[^1].Version + 1, CreatedAt = Now }],
            Status = current.Status,
            UpdatedAt = Now,
        };
        await SaveAsync(journey.JourneyId, record);
        return Ok(record);
    }

    public Task<JourneyResult> Get(string journeyId) =>
        Task.FromResult(Journeys.TryGetValue(journeyId, out var record) ? Ok(record) : NotFound(journeyId));

    public Task<List<JourneyView>> List(string? after, int max, JourneyStatus? status) =>
        Task.FromResult(Journeys
            .Where(j => status is null || j.Value.Status == status)
            .Where(j => after is null || string.CompareOrdinal(j.Key, after) > 0)
            .OrderBy(j => j.Key, StringComparer.Ordinal)
            .Take(max)
            .Select(j => View(j.Value))
            .ToList());

    public async Task<JourneyResult> Move(string journeyId, JourneyStatus to)
    {
        if (!Journeys.TryGetValue(journeyId, out var current))
        {
            return NotFound(journeyId);
        }

        var allowed = (current.Status, to) switch
        {
            (JourneyStatus.Draft, JourneyStatus.Active) => null,
            (JourneyStatus.Paused, JourneyStatus.Active) => null,
            (JourneyStatus.Active, JourneyStatus.Paused) => null,
            (not JourneyStatus.Archived, JourneyStatus.Archived) => null,
            (_, JourneyStatus.Active) => $"only a draft journey can be activated or a paused one resumed; this one is {Name(current.Status)}.",
            (_, JourneyStatus.Paused) => $"only an active journey can pause; this one is {Name(current.Status)}.",
            _ => $"the journey is already {Name(current.Status)}.",
        };
        if (allowed is not null)
        {
            return WrongState(current, allowed);
        }

        var record = new JourneyRecord { Versions = current.Versions, Status = to, UpdatedAt = Now };
        await SaveAsync(journeyId, record);
        return Ok(record);
    }

    public Task<JourneySnapshot?> Snapshot(long knownVersion)
    {
        if (knownVersion == registry.State.Version)
        {
            return Task.FromResult<JourneySnapshot?>(null);
        }

        _snapshot ??= new JourneySnapshot(
            registry.State.Version,
            Journeys.ToDictionary(j => j.Key, j => j.Value.Status, StringComparer.Ordinal),
            [.. Journeys.Values.Where(j => j.Status != JourneyStatus.Archived).SelectMany(j => j.Versions)]);
        return Task.FromResult<JourneySnapshot?>(_snapshot);
    }

    private static JourneyResult? Invalid(JourneyDefinition journey)
    {
        var errors = JourneyRules.Validate(journey);
        return errors.Count == 0 ? null : new(JourneyResultStatus.Invalid, null, string.Join("; ", errors));
    }

    private async Task SaveAsync(string journeyId, JourneyRecord record)
    {
        var (before, beforeVersion) = (Journeys.GetValueOrDefault(journeyId), registry.State.Version);
        Journeys[journeyId] = record;
        registry.State.Version++;
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
                Journeys.Remove(journeyId);
            }
            else
            {
                Journeys[journeyId] = before;
            }

            registry.State.Version = beforeVersion;
            throw;
        }
    }

    private static JourneyView View(JourneyRecord record) => new(record.Versions[^1], record.Status, record.UpdatedAt);

    private static JourneyResult Ok(JourneyRecord record) => new(JourneyResultStatus.Ok, View(record), "");

    private static JourneyResult WrongState(JourneyRecord record, string detail) => new(JourneyResultStatus.WrongState, View(record), detail);

    private static JourneyResult NotFound(string journeyId) => new(JourneyResultStatus.NotFound, null, $"journey_id: no journey '{journeyId}'.");

    private static string Name(JourneyStatus status) => status.ToString().ToLowerInvariant();
}
