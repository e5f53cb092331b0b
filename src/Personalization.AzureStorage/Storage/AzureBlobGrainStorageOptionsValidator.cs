namespace Personalization.AzureStorage.Storage;

/// <summary>Stops the silo at start-up when a blob storage provider is misconfigured, naming the setting.</summary>
public sealed class AzureBlobGrainStorageOptionsValidator(AzureBlobGrainStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        if (options.CreateClient is null && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new OrleansConfigurationException(
                $"Grain storage '{name}': {nameof(options.ConnectionString)} is required (e.g. \"UseDevelopmentStorage=true\" for Azurite).");
        }

        if (!BlobNames.IsValidContainerName(options.ContainerName))
        {
            throw new OrleansConfigurationException(
                $"Grain storage '{name}': {nameof(options.ContainerName)} '{options.ContainerName}' is not a valid container name " +
                "(3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit).");
        }

        if (options.CreateClient is null)
        {
            try
            {
                _ = options.BuildClient();
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                throw new OrleansConfigurationException(
                    $"Grain storage '{name}': {nameof(options.ConnectionString)} is malformed: {ex.Message}", ex);
            }
        }
    }
}
