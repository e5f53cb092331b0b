using System.ComponentModel.DataAnnotations;
using Orleans.Configuration;

namespace Personalization.Server.Limits;

/// <summary>
/// Orleans overload protection (section <c>Overload</c>): bounded request queues per grain,
/// activation shedding under memory pressure, and load shedding at the silo's client gateway.
/// </summary>
public sealed class OverloadSettings : IValidatableObject
{
    public const string Section = "Overload";

    /// <summary>Requests waiting for one grain above which the silo logs a warning; 0 turns the warning off.</summary>
    [Range(0, 1_000_000)]
    public int GrainQueueWarning { get; set; } = 2_000;

    /// <summary>Requests waiting for one grain above which new ones are rejected (the caller sees UNAVAILABLE); 0 means unbounded.</summary>
    [Range(0, 1_000_000)]
    public int GrainQueueLimit { get; set; } = 20_000;

    /// <summary>Deactivate the least recently used grains when the process nears its memory limit.</summary>
    public bool ShedActivationsOnMemoryPressure { get; set; } = true;

    /// <summary>Memory use (percent of what the process may use) that starts shedding activations.</summary>
    [Range(1, 100)]
    public double MemoryLimitPercent { get; set; } = 85;

    /// <summary>Memory use shedding brings the process back down to.</summary>
    [Range(1, 100)]
    public double MemoryTargetPercent { get; set; } = 75;

    /// <summary>Refuse new requests from Orleans clients at the gateway while the silo is overloaded.</summary>
    public bool GatewayLoadShedding { get; set; } = true;

    /// <summary>CPU use (percent) at which the gateway sheds load.</summary>
    [Range(1, 100)]
    public int GatewayCpuPercent { get; set; } = 95;

    /// <summary>Memory use (percent) at which the gateway sheds load.</summary>
    [Range(1, 100)]
    public int GatewayMemoryPercent { get; set; } = 90;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MemoryTargetPercent >= MemoryLimitPercent)
        {
            yield return new ValidationResult($"must be below MemoryLimitPercent ({MemoryLimitPercent}); got {MemoryTargetPercent}.", [nameof(MemoryTargetPercent)]);
        }

        if (GrainQueueLimit > 0 && GrainQueueWarning > GrainQueueLimit)
        {
            yield return new ValidationResult($"must not exceed GrainQueueLimit ({GrainQueueLimit}); got {GrainQueueWarning}.", [nameof(GrainQueueWarning)]);
        }
    }

    /// <summary>Applies the settings to the silo's Orleans options.</summary>
    public void Apply(ISiloBuilder silo)
    {
        silo.Configure<SiloMessagingOptions>(options =>
        {
            options.MaxEnqueuedRequestsSoftLimit = GrainQueueWarning;
            options.MaxEnqueuedRequestsHardLimit = GrainQueueLimit;
        });
        silo.Configure<GrainCollectionOptions>(options =>
        {
            options.EnableActivationSheddingOnMemoryPressure = ShedActivationsOnMemoryPressure;
            options.MemoryUsageLimitPercentage = MemoryLimitPercent;
            options.MemoryUsageTargetPercentage = MemoryTargetPercent;
        });
        silo.Configure<LoadSheddingOptions>(options =>
        {
            options.LoadSheddingEnabled = GatewayLoadShedding;
            options.CpuThreshold = GatewayCpuPercent;
            options.MemoryThreshold = GatewayMemoryPercent;
        });
    }
}
