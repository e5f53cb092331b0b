namespace Personalization.Decisioning.Segments;

/// <summary>A customer joined (or left) a segment of a generation.</summary>
public readonly record struct MembershipChange(string Segment, long Generation, bool Joined);
