namespace Personalization.Contracts.Diagnostics;

/// <summary>
/// An empty grain: the in-silo ceiling for benchmarks, and a way for operators to see which silo
/// hosts a key. It prefers the silo of its first caller, so a test can place it deliberately.
/// </summary>
public interface IPingGrain : IGrainWithStringKey
{
    /// <summary>Does nothing but say which silo ran it.</summary>
    Task<PingReply> Ping();
}
