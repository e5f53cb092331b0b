using System.ComponentModel.DataAnnotations;

namespace Personalization.Server.Hosting;

/// <summary>
/// Reads a settings section strictly: an unknown key, a value of the wrong type or a value that
/// fails validation stops start-up with a message that names the setting (e.g. <c>Cluster:SiloPort</c>).
/// </summary>
public static class SettingsBinder
{
    /// <summary>Binds and validates section <paramref name="section"/> into a new <typeparamref name="T"/>.</summary>
    public static T GetSettings<T>(this IConfiguration configuration, string section)
        where T : class, new()
    {
        var settings = new T();
        try
        {
            configuration.GetSection(section).Bind(settings, options => options.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidConfigurationException($"configuration section '{section}': {ex.Message}", ex);
        }

        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true))
        {
            var problems = results.Select(r => $"setting '{section}:{string.Join(",", r.MemberNames)}' {Lower(r.ErrorMessage)}");
            throw new InvalidConfigurationException(string.Join("; ", problems));
        }

        return settings;
    }

    private static string Lower(string? message) =>
        string.IsNullOrEmpty(message) ? "is invalid." : char.ToLowerInvariant(message[0]) + message[1..];
}
