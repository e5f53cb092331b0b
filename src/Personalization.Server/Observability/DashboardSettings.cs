using System.ComponentModel.DataAnnotations;

namespace Personalization.Server.Observability;

/// <summary>
/// The Orleans Dashboard (section <c>Dashboard</c>): off unless enabled; served over HTTP/1.1 on
/// its own port, on loopback by default because it shows grain state (reach it through a tunnel
/// such as <c>kubectl port-forward</c>).
/// </summary>
public sealed class DashboardSettings
{
    public const string Section = "Dashboard";

    /// <summary>Whether the dashboard runs.</summary>
    public bool Enabled { get; set; }

    /// <summary>Its port.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 8080;

    /// <summary>The address it listens on.</summary>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";
}
