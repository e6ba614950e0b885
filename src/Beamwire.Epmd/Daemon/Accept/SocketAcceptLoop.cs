using System.Net.Sockets;
using Beamwire.Epmd.Diagnostics;

namespace Beamwire.Epmd.Daemon.Accept;

/// <summary>
/// The portable accept loop (every OS but Linux): blocking accept on a dedicated thread, then
/// <see cref="DaemonConnection.Serve()"/> answers what has arrived and goes asynchronous otherwise.
/// </summary>
internal static class SocketAcceptLoop
{
    public static void Run(Socket listener, EpmdDaemon daemon)
    {
        while (!daemon.IsStopping)
        {
            Socket socket;
            try
            {
                socket = listener.Accept();
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // ECONNABORTED and friends concern one client; after stop, the listener is gone.
                if (daemon.IsStopping)
                    return;
                EpmdLog.AcceptFailed(daemon.Logger, ex.SocketErrorCode);
                continue;
            }

            if (!daemon.TryAdmit(out var number))
            {
                socket.Dispose();
                continue;
            }

            new DaemonConnection(socket, daemon, number).Serve();
        }
    }
}
