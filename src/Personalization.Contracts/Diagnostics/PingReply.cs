namespace Personalization.Contracts.Diagnostics;

/// <summary>What the ping grain answers.</summary>
/// <param name="Silo">The address of the silo that hosts the grain.</param>
[GenerateSerializer, Immutable]
public sealed record PingReply([property: Id(0)] string Silo);
