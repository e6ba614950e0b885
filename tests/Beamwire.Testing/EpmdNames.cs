using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Beamwire.Testing;

/// <summary>
/// Asks the epmd on a local port for its names directly (one NAMES_REQ), cheap enough to poll every
/// few milliseconds when a test measures how soon nodes are registered; the release's own
/// <c>epmd -names</c> (<see cref="OtpCommand"/>) then confirms what it found.
/// </summary>
public static class EpmdNames
{
    /// <summary>The registered names, or null when nothing answers (or the daemon closes before its reply).</summary>
    public static async Task<IReadOnlyList<string>?> ListAsync(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            await socket.SendAsync(new byte[] { 0, 1, 110 }, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            var reply = new MemoryStream();
            var buffer = new byte[4096];
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false)) > 0)
                reply.Write(buffer, 0, n);
            if (reply.Length < 4)
                return null;
            return Encoding.UTF8.GetString(reply.GetBuffer(), 4, (int)reply.Length - 4)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ')[1])
                .ToList();
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>True when every one of <paramref name="names"/> is registered.</summary>
    public static async Task<bool> ListsAllAsync(int port, IEnumerable<string> names) =>
        await ListAsync(port).ConfigureAwait(false) is { } listed && names.All(listed.Contains);
}
