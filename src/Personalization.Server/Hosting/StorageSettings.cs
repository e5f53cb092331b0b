using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Personalization.Server.Hosting;

/// <summary>
/// The Azure Storage account that holds grain state, membership, reminders, delivery queues and
/// model bundles (section <c>Storage</c>), reached with a connection string or with a service URI
/// and a Microsoft Entra token (managed identity).
/// </summary>
public sealed partial class StorageSettings : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>What <see cref="ConnectionString"/> means when neither it nor <see cref="ServiceUri"/> is set: Azurite on its default ports.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>
    /// Where grain state lives: <see cref="StorageProvider.AzureBlob"/> (durable, the default) or
    /// <see cref="StorageProvider.Memory"/> (lost when the silo stops; for benchmarks and demos on one
    /// silo). Membership, reminders, queues and model bundles are on the account either way.
    /// </summary>
    public StorageProvider Provider { get; set; } = StorageProvider.AzureBlob;

    /// <summary>An Azure Storage connection string (account key or SAS); unset with no <see cref="ServiceUri"/> means Azurite on its default ports.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The account's blob endpoint, e.g. <c>https://myaccount.blob.core.windows.net</c>, reached with a
    /// token credential instead of a connection string; the queue and table endpoints are the same
    /// host with <c>queue</c> and <c>table</c> in place of <c>blob</c>.
    /// </summary>
    public string? ServiceUri { get; set; }

    /// <summary>With <see cref="ServiceUri"/>: the client id of a user-assigned managed identity; unset, the default Azure credential chain (workload or managed identity, environment, developer sign-in).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The blob container for grain state; one per service.</summary>
    public string Container { get; set; } = "grainstate";

    /// <summary>Start of the delivery queue names: <c>{prefix}-email</c>, <c>{prefix}-sms</c>, … (README: Deliveries).</summary>
    public string QueuePrefix { get; set; } = "deliveries";

    /// <summary>How long before its send time a delivery becomes visible to the channel connectors (0: at the send time).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan DeliveryLead { get; set; } = TimeSpan.Zero;

    /// <summary>Customers each silo checks at once when scheduled deliveries come due (one call per customer per message).</summary>
    [Range(1, 1024)]
    public int ReleaseConcurrency { get; set; } = 64;

    /// <summary>How often an idle silo looks for scheduled deliveries that came due (how late a release may be).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ReleasePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long due deliveries of a paused campaign or journey stay held before their owner is asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReleasePausedRecheck { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!QueuePrefixPattern().IsMatch(QueuePrefix))
        {
            yield return new ValidationResult("must be 3 to 50 lower-case letters, digits and single hyphens, starting with a letter.", [nameof(QueuePrefix)]);
        }

        if (!ContainerPattern().IsMatch(Container))
        {
            yield return new ValidationResult($"'{Container}' is not a valid container name (3 to 63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit).", [nameof(Container)]);
        }

        if (ConnectionString is not null && ServiceUri is not null)
        {
            yield return new ValidationResult("and 'Storage:ConnectionString' are both set; set one (ServiceUri signs in with a managed identity).", [nameof(ServiceUri)]);
        }
        else if (StorageAccount.Problem(this) is { } problem)
        {
            yield return new ValidationResult(problem, [ServiceUri is null ? nameof(ConnectionString) : nameof(ServiceUri)]);
        }

        if (ManagedIdentityClientId is not null && ServiceUri is null)
        {
            yield return new ValidationResult("needs 'Storage:ServiceUri' (a managed identity signs in to a service URI, not with a connection string).", [nameof(ManagedIdentityClientId)]);
        }
    }

    [GeneratedRegex("^(?=.{3,50}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    private static partial Regex QueuePrefixPattern();

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ContainerPattern();
}
