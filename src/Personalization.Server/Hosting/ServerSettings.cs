using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Personalization.Server.Hosting;

/// <summary>The gRPC front end (section <c>Server</c>).</summary>
public sealed class ServerSettings : IValidatableObject
{
    public const string Section = "Server";

    /// <summary>The address Kestrel listens on; loopback by default, <c>0.0.0.0</c> in a container.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The gRPC port; 0 picks a free one (tests).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 5080;

    /// <summary>A PFX certificate to serve TLS with; empty serves cleartext HTTP/2 (h2c).</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>The certificate's password, if it has one.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>How long a graceful shutdown may take (in-flight calls finish, grains write their state).</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(ListenAddress, out _))
        {
            yield return new ValidationResult($"'{ListenAddress}' is not an IP address.", [nameof(ListenAddress)]);
        }

        if (!string.IsNullOrEmpty(TlsCertificatePath) && !File.Exists(TlsCertificatePath))
        {
            yield return new ValidationResult($"no certificate file at '{TlsCertificatePath}'.", [nameof(TlsCertificatePath)]);
        }

        if (ShutdownTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult("must be positive.", [nameof(ShutdownTimeout)]);
        }
    }
}
