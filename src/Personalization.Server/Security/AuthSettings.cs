using System.ComponentModel.DataAnnotations;

namespace Personalization.Server.Security;

/// <summary>
/// Who may call (section <c>Auth</c>): API keys, stored only as their SHA-256, each with roles.
/// Production refuses to start without a key; <see cref="Enabled"/> = false is for development and tests only.
/// </summary>
public sealed class AuthSettings : IValidatableObject
{
    public const string Section = "Auth";

    /// <summary>Whether calls must carry an API key (header <c>x-api-key</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The keys by name (the name is for logs and audits).</summary>
    public Dictionary<string, ApiKeySettings> Keys { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && Keys.Count == 0)
        {
            yield return new ValidationResult("needs at least one key when Auth:Enabled is true (personalize key new --role admin makes one).", [nameof(Keys)]);
        }

        foreach (var (name, key) in Keys)
        {
            if (key.Sha256.Length != 64 || !key.Sha256.All(char.IsAsciiHexDigit))
            {
                yield return new ValidationResult($"'{name}' needs Sha256: the 64 hex digits of the key's SHA-256.", [$"{nameof(Keys)}:{name}:Sha256"]);
            }

            if (key.RequestsPerSecond < 0)
            {
                yield return new ValidationResult($"must be 0 (no limit) or more; got {key.RequestsPerSecond}.", [$"{nameof(Keys)}:{name}:RequestsPerSecond"]);
            }

            if (key.Burst < 1)
            {
                yield return new ValidationResult($"must be 1 or more; got {key.Burst}.", [$"{nameof(Keys)}:{name}:Burst"]);
            }

            if (key.Roles.Length == 0 || key.Roles.Any(r => !Roles.All.Contains(r)))
            {
                yield return new ValidationResult($"'{name}' needs Roles from {string.Join(", ", Roles.All)}; got [{string.Join(", ", key.Roles)}].", [$"{nameof(Keys)}:{name}:Roles"]);
            }
        }
    }
}

/// <summary>One API key: its hash and roles.</summary>
public sealed class ApiKeySettings
{
    /// <summary>Lower- or upper-case hex SHA-256 of the key (the key itself is never stored).</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>Its roles: app, campaign-manager, data-scientist, admin.</summary>
    public string[] Roles { get; set; } = [];

    /// <summary>Its own sustained request rate across the cluster (0: no limit); unset, Limits:RequestsPerSecondPerKey.</summary>
    public int? RequestsPerSecond { get; set; }

    /// <summary>Its own burst; unset, Limits:BurstPerKey.</summary>
    public int? Burst { get; set; }

    /// <summary>
    /// Whether the key belongs to a sign-in front end (the console signed in through OpenID Connect): its calls may
    /// name the person they act for in the <c>x-on-behalf-of</c> header, and the audit trail records that person. The
    /// key's own roles still bound what the call may do. Off: a call with the header is refused.
    /// </summary>
    public bool ActsForPeople { get; set; }
}
