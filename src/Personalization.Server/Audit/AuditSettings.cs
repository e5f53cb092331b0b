using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Personalization.Server.Audit;

/// <summary>The audit trail (section <c>Audit</c>): where it is kept and for how long.</summary>
public sealed partial class AuditSettings : IValidatableObject
{
    public const string Section = "Audit";

    /// <summary>The Azure table of the trail, in the service's storage account.</summary>
    public string Table { get; set; } = "audit";

    /// <summary>Days an entry is kept; older days are deleted by an hourly sweep.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 400;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TablePattern().IsMatch(Table))
        {
            yield return new ValidationResult("must be 3 to 63 letters and digits, starting with a letter (an Azure table name).", [nameof(Table)]);
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TablePattern();
}
