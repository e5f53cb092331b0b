namespace Personalization.Contracts.Segments;

/// <summary>What the segment registry did with a change.</summary>
public enum SegmentResultStatus
{
    /// <summary>Done.</summary>
    Ok,

    /// <summary>The definition is invalid; the errors say why.</summary>
    Invalid,

    /// <summary>Create: a segment with that name exists.</summary>
    AlreadyExists,

    /// <summary>No segment with that name.</summary>
    NotFound,

    /// <summary>Delete: a campaign that has not finished targets it, or another segment reads it.</summary>
    InUse,
}
