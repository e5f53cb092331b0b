using Personalization.Testing;

namespace Personalization.Load;

/// <summary>
/// The harness's Azurite: in memory (the figures in the README unless they say otherwise), or on disk with
/// <c>LOAD_AZURITE=disk</c> — what <c>run.sh</c> uses, and what a run longer than ten minutes needs (in-memory Azurite's
/// blob garbage collector stops it answering ten minutes after start; README, Known limits).
/// </summary>
internal static class LoadAzurite
{
    /// <summary>Whether this run's Azurite keeps its data on disk.</summary>
    public static bool OnDisk => string.Equals(Environment.GetEnvironmentVariable("LOAD_AZURITE"), "disk", StringComparison.OrdinalIgnoreCase);

    /// <summary>A new, not yet started Azurite as this run asks for.</summary>
    public static AzuriteFixture Create() => new() { Persistent = OnDisk };
}
