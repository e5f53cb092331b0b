using Microsoft.Extensions.Options;

namespace Personalization.Server.Hosting;

/// <summary>Recognises the exceptions that mean "the configuration is wrong", wherever start-up raised them.</summary>
public static class ConfigurationErrors
{
    /// <summary>The message to show for a configuration error; null for any other exception.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        InvalidConfigurationException or OrleansConfigurationException or OptionsValidationException => exception.Message,
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        _ when exception.InnerException is { } inner => Describe(inner),
        _ => null,
    };
}
