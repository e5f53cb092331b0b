namespace Personalization.Contracts.Persistence;

/// <summary>One customer change read back from a log: its sequence number under its claim, and the serialized change.</summary>
public readonly record struct LogRecord(long Seq, ReadOnlyMemory<byte> Payload);
