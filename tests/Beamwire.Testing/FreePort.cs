using System.Net;
using System.Net.Sockets;

namespace Beamwire.Testing;

/// <summary>Loopback ports for tests. Tests never use the default epmd port 4369, so suites can run side by side.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
