using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Personalization.Server.Hosting;

/// <summary>The Orleans cluster this silo joins (section <c>Cluster</c>).</summary>
public sealed class ClusterSettings : IValidatableObject
{
    public const string Section = "Cluster";

    /// <summary><c>AzureStorage</c> (membership in Azure Table storage: one silo or several) or <c>Localhost</c> (one silo that joins no other).</summary>
    public ClusteringMode Mode { get; set; } = ClusteringMode.AzureStorage;

    /// <summary>Identifies one deployment; silos with the same id form a cluster.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ClusterId { get; set; } = "dev";

    /// <summary>Identifies the service across deployments; keep it stable so state stays reachable.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = "personalization";

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port for Orleans clients (the gRPC front end does not need it).</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one on.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Running in Kubernetes with Orleans' Kubernetes hosting: the silo takes its name, address,
    /// service and cluster ids from the pod (POD_NAME, POD_NAMESPACE, POD_IP, ORLEANS_SERVICE_ID,
    /// ORLEANS_CLUSTER_ID) and silos whose pods are gone are declared dead at once. Needs Mode AzureStorage.
    /// </summary>
    public bool KubernetesHosting { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return new ValidationResult($"'{AdvertisedAddress}' is not an IP address.", [nameof(AdvertisedAddress)]);
        }

        if (KubernetesHosting && Mode != ClusteringMode.AzureStorage)
        {
            yield return new ValidationResult("needs Mode AzureStorage (Kubernetes hosting names the silos; the membership table keeps them).", [nameof(KubernetesHosting)]);
        }

        if (SiloPort == GatewayPort)
        {
            yield return new ValidationResult("must differ from SiloPort.", [nameof(GatewayPort)]);
        }
    }
}
