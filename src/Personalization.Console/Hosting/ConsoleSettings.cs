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
