namespace Personalization.AzureStorage.Storage;

/// <summary>Stops the silo at start-up when a blob storage provider is misconfigured, naming the setting.</summary>
public sealed class AzureBlobGrainStorageOptionsValidator(AzureBlobGrainStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        foreach (var (setting, problem) in Problems(options))
        {
            throw new OrleansConfigurationException($"Grain storage '{name}': {setting} {problem}");
        }
    }

    /// <summary>What is wrong with the options, as (setting, problem) pairs; empty when they are usable.</summary>
    public static IEnumerable<(string Setting, string Problem)> Problems(AzureBlobGrainStorageOptions options)
    {
        if (options.CreateClient is null)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                yield return (nameof(options.ConnectionString), "is required (e.g. \"UseDevelopmentStorage=true\" for Azurite).");
            }
            else if (MalformedConnectionString(options) is { } reason)
            {
                yield return (nameof(options.ConnectionString), $"is malformed: {reason}");
            }
        }

        if (!BlobNames.IsValidContainerName(options.ContainerName))
        {
            yield return (nameof(options.ContainerName),
                $"'{options.ContainerName}' is not a valid container name (3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit).");
        }
    }

    private static string? MalformedConnectionString(AzureBlobGrainStorageOptions options)
    {
        try
        {
            _ = options.BuildClient();
            return null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return ex.Message;
        }
    }
}
