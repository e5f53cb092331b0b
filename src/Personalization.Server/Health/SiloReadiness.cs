using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Personalization.Server.Health;

/// <summary>
/// Healthy only while the co-hosted silo is active: not before it has joined the cluster and not
/// once it has begun to stop, so load balancers drain this node before grains move away.
/// </summary>
public sealed class SiloReadiness : ILifecycleParticipant<ISiloLifecycle>, IHealthCheck
{
    private volatile bool _active;

    /// <summary>Whether the silo is active and taking calls.</summary>
    public bool IsActive => _active;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloReadiness), ServiceLifecycleStage.Active,
            _ =>
            {
                _active = true;
                return Task.CompletedTask;
            },
            _ =>
            {
                _active = false;
                return Task.CompletedTask;
            });

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_active ? HealthCheckResult.Healthy("silo active") : HealthCheckResult.Unhealthy("silo not active"));
}
