using System.Net;
using System.Net.Sockets;
using Beamwire.Epmd.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Beamwire.Epmd.Daemon.Accept;

/// <summary>
/// The listening sockets, chosen as epmd chooses them: without addresses, IPv4 and IPv6 "any";
/// with addresses, both loopbacks (allowed to fail) plus each given address (not allowed to fail).
/// </summary>
internal static class DaemonListeners
{
    private const int SolSocket = 1, SoReuseAddr = 2;  // Linux <sys/socket.h>
    private const int IpProtoTcp = 6, TcpDeferAccept = 9; // Linux <netinet/tcp.h>

    public static List<Socket> Bind(EpmdDaemonOptions options, ILogger logger)
    {
        var plan = new List<(IPAddress Address, bool Optional)>();
        if (options.Addresses.Count == 0)
        {
            plan.Add((IPAddress.Any, false));
            plan.Add((IPAddress.IPv6Any, true));
        }
        else
        {
            plan.Add((IPAddress.Loopback, true));
            plan.Add((IPAddress.IPv6Loopback, true));
            foreach (var a in options.Addresses)
                // epmd skips exactly 127.0.0.1 and ::1 (already planned); 127.0.0.2 is a separate address.
                if (!plan.Exists(p => p.Address.Equals(a)))
                    plan.Add((a, false));
        }

        // Port 0: the first socket picks a free port and the others must get the same one; if one
        // of them finds it taken, start over with another free port.
        for (var attempt = 0; ; attempt++)
        {
            var listeners = new List<Socket>();
            var port = options.Port;
            try
            {
                foreach (var (address, optional) in plan)
                {
                    var socket = TryListen(address, port, optional, logger);
                    if (socket is null)
                        continue;
                    listeners.Add(socket);
                    port = ((IPEndPoint)socket.LocalEndPoint!).Port;
                }

                if (listeners.Count == 0)
                    throw new EpmdException(EpmdErrorReason.AddressInUse, "epmd could not listen on any address.");
                return listeners;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                listeners.ForEach(l => l.Dispose());
                if (options.Port == 0 && attempt < 10)
                    continue;
                throw new EpmdException(EpmdErrorReason.AddressInUse,
                    $"there is already a epmd running at port {options.Port} (the port is in use)", ex);
            }
            catch
            {
                listeners.ForEach(l => l.Dispose());
                throw;
            }
        }
    }

    private static Socket? TryListen(IPAddress address, int port, bool optional, ILogger logger)
    {
        Socket socket;
        try
        {
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        }
        catch (SocketException) when (optional)
        {
            return null; // no IPv6 on this host
        }

        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
                socket.DualMode = false;
            Tune(socket);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen();
            return socket;
        }
        catch (SocketException ex) when (optional && ex.SocketErrorCode != SocketError.AddressAlreadyInUse)
        {
            EpmdLog.BindSkipped(logger, address, ex.SocketErrorCode);
            socket.Dispose();
            return null;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void Tune(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
            return;
        // SO_REUSEADDR alone, as epmd sets it: .NET's ReuseAddress option also sets SO_REUSEPORT,
        // which would let a second daemon bind the same port and split the names between the two.
        socket.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        // Accept a connection only once its request has arrived: no thread or slot is spent on
        // clients that connect and say nothing, and most requests complete inline on accept.
        socket.SetRawSocketOption(IpProtoTcp, TcpDeferAccept, BitConverter.GetBytes(5));
    }
}
