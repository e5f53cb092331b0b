using Orleans.Concurrency;

namespace Personalization.Contracts.Models;

/// <summary>
/// The model versions of every kind (key <see cref="DefaultKey"/>): which is active, which was active
/// before (for rollback), the champion/challenger split, and live counts per version. Silos follow
/// <see cref="Serving"/> and load bundles from blob storage.
/// </summary>
public interface IModelRegistryGrain : IGrainWithStringKey
{
    /// <summary>The one registry's key.</summary>
    const string DefaultKey = "default";

    /// <summary>Adds an uploaded version as Staged; the same version with the same bundle again is fine.</summary>
    Task<ModelResult> Register(ModelEntry entry);

    /// <summary>
    /// A silo's shipped bundle: registered if new, and made active only when the kind has no active
    /// version yet (so the first silo seeds the registry and later ones follow it).
    /// </summary>
    Task<ModelResult> Seed(ModelEntry entry);

    /// <summary>The versions of a kind (null: all), newest pushed first.</summary>
    Task<List<ModelEntry>> List(string? kind);

    /// <summary>One version.</summary>
    Task<ModelResult> Get(string kind, string version);

    /// <summary>
    /// Makes a validated version the champion with the figures validation measured (null: none, a shipped seed)
    /// and the rows they were measured on; the previous one is kept for rollback.
    /// </summary>
    Task<ModelResult> Activate(string kind, string version, IReadOnlyDictionary<string, double>? measured, string measuredOn);

    /// <summary>Marks a version Rejected with the reason validation gave.</summary>
    Task<ModelResult> Reject(string kind, string version, string reason);

    /// <summary>Makes the version active before the current one the champion again.</summary>
    Task<ModelResult> Rollback(string kind);

    /// <summary>Sets the challenger of a kind and its share (0..0.5); a null challenger or share 0 clears the split.</summary>
    Task<ModelResult> SetSplit(string kind, string? challenger, double share);

    /// <summary>What silos should serve, or null when <paramref name="knownVersion"/> is current.</summary>
    [AlwaysInterleave]
    Task<ServingModels?> Serving(long knownVersion);

    /// <summary>Adds live counts from a silo.</summary>
    Task AddResults(List<ArmCount> counts);

    /// <summary>Live counts per version of a kind.</summary>
    Task<List<ArmCount>> Results(string kind);
}
