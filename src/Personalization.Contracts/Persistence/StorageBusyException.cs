namespace Personalization.Contracts.Persistence;

/// <summary>The change log has more queued than it may: the call changed nothing and should be retried after a pause.</summary>
[GenerateSerializer]
public sealed class StorageBusyException : Exception
{
    public StorageBusyException()
        : base("storage is behind; nothing was changed: retry after a pause.")
    {
    }

    public StorageBusyException(string message)
        : base(message)
    {
    }

    public StorageBusyException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
