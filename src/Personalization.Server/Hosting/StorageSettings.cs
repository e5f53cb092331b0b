using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Personalization.AzureStorage.Storage;

namespace Personalization.Server.Hosting;

/// <summary>Where grain state lives (section <c>Storage</c>).</summary>
public sealed partial class StorageSettings : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>
    /// Where grain state lives: <see cref="StorageProvider.AzureBlob"/> (durable, the default) or
    /// <see cref="StorageProvider.Memory"/> (lost when the silo stops; for benchmarks and demos on one silo).
    /// Delivery queues are on Azure Storage either way.
    /// </summary>
    public StorageProvider Provider { get; set; } = StorageProvider.AzureBlob;

    /// <summary>Azure Storage connection string; <c>UseDevelopmentStorage=true</c> is Azurite on its default ports.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>The blob container for grain state; one per service.</summary>
    public string Container { get; set; } = AzureBlobGrainStorageOptions.DefaultContainerName;

    /// <summary>Start of the delivery queue names: <c>{prefix}-email</c>, <c>{prefix}-sms</c>, … (README: Deliveries).</summary>
    public string QueuePrefix { get; set; } = "deliveries";

    /// <summary>How long before its send time a delivery becomes visible to the channel connectors (0: at the send time).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan DeliveryLead { get; set; } = TimeSpan.Zero;

    /// <summary>The grain storage provider's options these settings make.</summary>
    public void Apply(AzureBlobGrainStorageOptions options)
    {
        options.ConnectionString = ConnectionString;
        options.ContainerName = Container;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!QueuePrefixPattern().IsMatch(QueuePrefix))
        {
            yield return new ValidationResult("must be 3 to 50 lower-case letters, digits and single hyphens, starting with a letter.", [nameof(QueuePrefix)]);
        }

        var options = new AzureBlobGrainStorageOptions();
        Apply(options);
        foreach (var (setting, problem) in AzureBlobGrainStorageOptionsValidator.Problems(options))
        {
            var member = setting == nameof(options.ContainerName) ? nameof(Container) : nameof(ConnectionString);
            yield return new ValidationResult(problem, [member]);
        }
    }

    [GeneratedRegex("^(?=.{3,50}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex QueuePrefixPattern();
}
