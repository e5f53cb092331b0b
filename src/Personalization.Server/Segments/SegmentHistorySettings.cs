using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Personalization.Server.Segments;

/// <summary>A segment's member counts over time (section <c>SegmentHistory</c>): how often they are sampled, how many are kept, where.</summary>
public sealed partial class SegmentHistorySettings : IValidatableObject
{
    public const string Section = "SegmentHistory";

    /// <summary>How often every segment's member count is sampled.</summary>
    public TimeSpan Every { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How many samples a segment keeps (the oldest are overwritten): a week at the default period.</summary>
    [Range(2, 10_000)]
    public int Samples { get; set; } = 672;

    /// <summary>The Azure table of the samples, in the service's storage account.</summary>
    public string Table { get; set; } = "segmentcounts";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Every < TimeSpan.FromSeconds(1) || Every > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult($"must be 1 second to 1 day; got {Every}.", [nameof(Every)]);
        }

        if (!TablePattern().IsMatch(Table))
        {
            yield return new ValidationResult("must be 3 to 63 letters and digits, starting with a letter (an Azure table name).", [nameof(Table)]);
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TablePattern();
}
