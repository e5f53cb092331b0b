namespace Personalization.Contracts.Models;

/// <summary>What the registry did with a command.</summary>
public enum ModelResultStatus
{
    /// <summary>Done.</summary>
    Ok,

    /// <summary>No such version.</summary>
    NotFound,

    /// <summary>Register: the version exists with another bundle.</summary>
    AlreadyExists,

    /// <summary>The command does not apply now (nothing to roll back to, a rejected version, a bad split).</summary>
    WrongState,
}

/// <summary>The outcome of a registry command and the version it concerns; <paramref name="Detail"/> says why when refused.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelResult([property: Id(0)] ModelResultStatus Status, [property: Id(1)] ModelEntry? Entry, [property: Id(2)] string Detail);
