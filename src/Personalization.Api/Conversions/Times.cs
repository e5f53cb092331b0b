using Google.Protobuf.WellKnownTypes;

namespace Personalization.V1.Conversions;

/// <summary>Domain times (UTC <see cref="DateTime"/>, default meaning "never") as contract timestamps.</summary>
public static class Times
{
    /// <summary>The timestamp of a UTC time.</summary>
    public static Timestamp ToContract(this DateTime utc) => Timestamp.FromDateTime(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    /// <summary>The timestamp of a time, or null (unset) for default, "never".</summary>
    public static Timestamp? ToContractOrUnset(this DateTime utc) => utc == default ? null : utc.ToContract();

    /// <summary>The timestamp of an optional time, or null (unset).</summary>
    public static Timestamp? ToContractOrUnset(this DateTime? utc) => utc is { } value ? value.ToContractOrUnset() : null;
}
