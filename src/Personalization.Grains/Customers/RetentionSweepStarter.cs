using Personalization.Contracts.Customers;

namespace Personalization.Grains.Customers;

/// <summary>Each silo, once active, makes sure the cluster's retention sweep runs (or stops it when no retention is set).</summary>
public sealed class RetentionSweepStarter(IGrainFactory grains) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RetentionSweepStarter), ServiceLifecycleStage.Active,
            _ => grains.GetGrain<IRetentionSweepGrain>(IRetentionSweepGrain.DefaultKey).Start(),
            _ => Task.CompletedTask);
}
