using System.ComponentModel.DataAnnotations;

namespace Personalization.Console.Hosting;

/// <summary>The console's settings (section <c>Console</c>): which server it calls and how long a sign-in lasts.</summary>
public sealed class ConsoleSettings : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Console";

    /// <summary>The Personalization server's gRPC address, e.g. <c>http://localhost:5080</c>.</summary>
    public string ServerAddress { get; set; } = "http://localhost:5080";

    /// <summary>How long a session lasts without use before the console asks for the key again (minutes).</summary>
    public int SessionMinutes { get; set; } = 60;

    /// <summary>How often open screens refresh counts and progress that the API gives no stream for (milliseconds).</summary>
    public int RefreshMilliseconds { get; set; } = 2000;

    /// <summary>Items per page in the lists (offers, campaigns, journeys, segments; 1 to 1000, the server's most): each list shows a page and a "More" button; pickers read every page.</summary>
    public int PageSize { get; set; } = 50;

    /// <summary>OpenID Connect sign-in beside the API key (off while <see cref="OidcSettings.Authority"/> is empty).</summary>
    public OidcSettings Oidc { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(ServerAddress, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"must be an absolute http or https address; got '{ServerAddress}'.", [nameof(ServerAddress)]);
        }

        if (SessionMinutes is < 1 or > 24 * 60)
        {
            yield return new ValidationResult($"must be 1 to 1440 minutes; got {SessionMinutes}.", [nameof(SessionMinutes)]);
        }

        if (RefreshMilliseconds is < 200 or > 60_000)
        {
            yield return new ValidationResult($"must be 200 to 60000; got {RefreshMilliseconds}.", [nameof(RefreshMilliseconds)]);
        }

        if (PageSize is < 1 or > 1000)
        {
            yield return new ValidationResult($"must be 1 to 1000; got {PageSize}.", [nameof(PageSize)]);
        }

        foreach (var problem in Oidc.Validate(new ValidationContext(Oidc)))
        {
            yield return new ValidationResult(problem.ErrorMessage, problem.MemberNames.Select(m => $"{nameof(Oidc)}:{m}").ToList());
        }
    }

    /// <summary>Reads and checks the settings; a mistake stops start-up naming the setting.</summary>
    public static ConsoleSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<ConsoleSettings>() ?? new ConsoleSettings();
        var errors = settings.Validate(new ValidationContext(settings)).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"setting '{Section}:{e.MemberNames.First()}' {e.ErrorMessage}")));
        }

        return settings;
    }
}

/// <summary>
/// OpenID Connect sign-in (section <c>Console:Oidc</c>): the identity provider, the console's client there, which
/// groups map to which role, and the API key the console calls the server with for each role (a key with
/// <c>Auth:Keys:{name}:ActsForPeople</c> and exactly that role), naming the person in every call.
/// </summary>
public sealed class OidcSettings : IValidatableObject
{
    /// <summary>The roles a group may map to: the console's screens need one of them.</summary>
    public static readonly IReadOnlyList<string> ConsoleRoles = ["campaign-manager", "data-scientist", "admin"];

    /// <summary>The identity provider's issuer address (its discovery document is under it); empty: no OpenID Connect sign-in.</summary>
    public string Authority { get; set; } = "";

    /// <summary>The console's client id at the identity provider.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The console's client secret at the identity provider (empty for a public client with PKCE only).</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>The identity token's claim that lists the person's groups.</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>The claim that names the person in the server's audit trail (falls back to <c>sub</c> when missing or not printable ASCII).</summary>
    public string PersonClaim { get; set; } = "email";

    /// <summary>A group's role, by group name (a person in several mapped groups holds each of their roles).</summary>
    public Dictionary<string, string> GroupRoles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The API key the console calls the server with for a person holding a role, by role.</summary>
    public Dictionary<string, string> RoleKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The sign-in button's words: "Sign in with …".</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>Whether the identity provider's metadata must come over https (turn off only for a provider on loopback).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Whether OpenID Connect sign-in is configured.</summary>
    public bool Enabled => Authority.Length > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"must be an absolute http or https address; got '{Authority}'.", [nameof(Authority)]);
        }

        if (ClientId.Length == 0)
        {
            yield return new ValidationResult("is needed when Console:Oidc:Authority is set.", [nameof(ClientId)]);
        }

        if (GroupsClaim.Length == 0 || PersonClaim.Length == 0)
        {
            yield return new ValidationResult("must name a claim.", [GroupsClaim.Length == 0 ? nameof(GroupsClaim) : nameof(PersonClaim)]);
        }

        if (GroupRoles.Count == 0)
        {
            yield return new ValidationResult("needs at least one group mapped to a role (Console:Oidc:GroupRoles:{group}=campaign-manager).", [nameof(GroupRoles)]);
        }

        foreach (var (group, role) in GroupRoles)
        {
            if (!ConsoleRoles.Contains(role))
            {
                yield return new ValidationResult($"maps '{group}' to '{role}'; a group maps to one of {string.Join(", ", ConsoleRoles)}.", [$"{nameof(GroupRoles)}:{group}"]);
            }
            else if (!RoleKeys.TryGetValue(role, out var key) || string.IsNullOrWhiteSpace(key))
            {
                yield return new ValidationResult($"needs the API key for role '{role}' (group '{group}' maps to it).", [$"{nameof(RoleKeys)}:{role}"]);
            }
        }
    }
}
