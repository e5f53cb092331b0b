using System.ComponentModel.DataAnnotations;

namespace Personalization.Server.Limits;

/// <summary>
/// What one caller may send (section <c>Limits</c>): the largest message, and a per-key request
/// rate (a token bucket per API key on each silo; a key may override it). Beyond either the call
/// is RESOURCE_EXHAUSTED and nothing runs.
/// </summary>
public sealed class LimitSettings
{
    public const string Section = "Limits";

    /// <summary>The largest request message in bytes (a model upload is streamed in smaller chunks).</summary>
    [Range(4 * 1024, 64 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Requests per second one key may make across the whole cluster, sustained; 0 means no limit.</summary>
    [Range(0, 10_000_000)]
    public int RequestsPerSecondPerKey { get; set; } = 20_000;

    /// <summary>Requests one key may make at once above the sustained rate.</summary>
    [Range(1, 10_000_000)]
    public int BurstPerKey { get; set; } = 40_000;
}
