using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Beamwire.Node.Connection;

/// <summary>
/// The distribution listen socket: bound to a fixed port, a port in a range (inet_dist_listen_min/max),
/// or any free port; each accepted socket runs the acceptor handshake.
/// </summary>
internal sealed class DistListener : IDisposable
{
    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();

    private DistListener(Socket socket, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public static DistListener Bind(BeamNodeOptions options, ILogger logger)
    {
        var ports = options.ListenPortMin is { } min && options.ListenPortMax is { } max && options.ListenPort == 0
            ? Enumerable.Range(min, max - min + 1)
            : [options.ListenPort];
        SocketException? last = null;
        foreach (var port in ports)
        {
            var socket = new Socket(options.ListenAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (options.ListenAddress.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
                socket.Bind(new IPEndPoint(options.ListenAddress, port));
                socket.Listen(512);
                return new DistListener(socket, logger);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
        }

        throw new BeamNodeException(
            $"Cannot listen for distribution on {options.ListenAddress} port {DescribePorts(options)}: {last?.Message}", last!);
    }

    private static string DescribePorts(BeamNodeOptions o) =>
        o.ListenPortMin is { } min && o.ListenPort == 0 ? $"{min}..{o.ListenPortMax}" : o.ListenPort.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Start(ConnectionTable table) => _ = AcceptLoopAsync(table);

    private async Task AcceptLoopAsync(ConnectionTable table)
    {
        try
        {
            while (true)
            {
                var client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
                table.Accept(client);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
        catch (SocketException ex)
        {
            ConnectionLog.ListenerFailed(_logger, ex);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
    }
}
