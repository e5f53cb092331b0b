using System.Net;
using System.Net.Sockets;

namespace Personalization.Testing;

/// <summary>Hands out loopback TCP ports nobody is listening on.</summary>
public static class FreePorts
{
    /// <summary>A port that was free a moment ago; the OS does not reuse it at once.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
