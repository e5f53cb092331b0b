using Orleans.Placement;
using Personalization.Contracts.Diagnostics;

namespace Personalization.Grains.Diagnostics;

/// <summary>Holds no state; answers with the address of the silo it lives on.</summary>
[PreferLocalPlacement]
public sealed class PingGrain(ILocalSiloDetails silo) : Grain, IPingGrain
{
    private readonly PingReply _reply = new(silo.SiloAddress.ToString());

    public Task<PingReply> Ping() => Task.FromResult(_reply);
}
