using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Beamwire.Node.Connection;

/// <summary>
/// One <c>send(…, MSG_DONTWAIT)</c> on a blocking socket: as much as the kernel takes now, never waiting.
/// A sender writing its own lone message uses it, so a slow or stopped peer never blocks the sender's
/// thread (the writer thread sends the rest, and senders wait only at the queue limit, as on Erlang's
/// busy_dist_port). .NET has no per-call non-blocking send on a blocking socket, hence the libc call.
/// </summary>
internal static class NonBlockingSend
{
    private const int MsgDontWait = 0x40;   // Linux MSG_DONTWAIT
    private const int MsgNoSignal = 0x4000; // Linux MSG_NOSIGNAL
    private const int EIntr = 4;

    private static volatile bool s_unavailable;

    /// <summary>Bytes the kernel took (0 when none, or on an error the blocking send will report); -1 where unsupported.</summary>
    public static int TrySend(Socket socket, byte[] buffer, int length)
    {
        if (!OperatingSystem.IsLinux() || s_unavailable) return -1;
        var handle = socket.SafeHandle;
        var added = false;
        try
        {
            // Keeps the descriptor from being closed (and its number reused) while the call runs.
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            while (true)
            {
                var n = Send(fd, buffer, length, MsgDontWait | MsgNoSignal);
                if (n >= 0) return (int)n;
                if (Marshal.GetLastPInvokeError() != EIntr) return 0;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true; // an unusual libc: every send goes through the writer thread
            return -1;
        }
#pragma warning disable CA1031 // Whatever went wrong, the writer thread's blocking send retries it and reports a real error.
        catch (Exception)
#pragma warning restore CA1031
        {
            return 0;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nint Send(int socket, byte[] buffer, nint length, int flags);
}
