using System.Net.Sockets;
using System.Runtime.InteropServices;
using Beamwire.Epmd.Diagnostics;

namespace Beamwire.Epmd.Daemon.Accept;

/// <summary>
/// The Linux accept loop. Most epmd traffic is one PORT_PLEASE2 or NAMES per connection, answered
/// from a prebuilt reply; for those this loop makes four system calls (accept4, recv, send, close)
/// and allocates nothing — no Socket object, no event-loop registration. The listener only hands
/// over a connection once its request has arrived (TCP_DEFER_ACCEPT), so the non-blocking recv
/// almost always finds it. Every other case (a partial frame, a request that needs to know who asks,
/// a registration) is wrapped in a <see cref="Socket"/> and continues on <see cref="DaemonConnection"/>.
/// </summary>
internal static class NativeAcceptLoop
{
    public static void Run(Socket listener, EpmdDaemon daemon)
    {
        var handle = listener.SafeHandle;
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var listenFd = (int)handle.DangerousGetHandle();
            var buffer = new byte[Protocol.EpmdCodes.InBufferSize];
            while (!daemon.IsStopping)
            {
                var fd = LibC.Accept4(listenFd, IntPtr.Zero, IntPtr.Zero, LibC.SockCloexec);
                if (fd < 0)
                {
                    if (daemon.IsStopping || !Retry(Marshal.GetLastPInvokeError(), daemon))
                        return;
                    continue;
                }

                if (!daemon.TryAdmit(out var number))
                {
                    _ = LibC.Close(fd); // close(2) on a socket we own: nothing to do if it fails
                    continue;
                }

                Serve(fd, number, buffer, daemon);
            }
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    private static void Serve(int fd, int number, byte[] buffer, EpmdDaemon daemon)
    {
        var n = (int)LibC.Recv(fd, buffer, RequestFrame.FirstReadLimit, LibC.MsgDontWait);
        if (n > 0)
        {
            var status = RequestFrame.Check(buffer.AsSpan(0, n), out var want);
            if (status == FrameStatus.Complete
                && daemon.Processor.TryProcessLookup(buffer.AsSpan(2, n - 2), out var outcome)
                && outcome.Reply.Length <= DaemonConnection.InlineReplyLimit)
            {
                SendAll(fd, outcome.Reply);
                daemon.ReleaseSlot(number);
                _ = LibC.Close(fd); // close(2) on a socket we own: nothing to do if it fails
                return;
            }

            if (status is FrameStatus.BadLength or FrameStatus.Trailing)
            {
                DaemonConnection.LogBadFrame(daemon.Logger, status, n, want);
                daemon.ReleaseSlot(number);
                _ = LibC.Close(fd); // close(2) on a socket we own: nothing to do if it fails
                return;
            }
        }
        else if (n == 0 || Marshal.GetLastPInvokeError() != LibC.EAgain)
        {
            // Closed (or reset) before a whole request: what epmd logs as a partial packet.
            EpmdLog.PartialPacket(daemon.Logger, number, 0);
            DaemonConnection.Reject("partial");
            daemon.ReleaseSlot(number);
            _ = LibC.Close(fd); // close(2) on a socket we own: nothing to do if it fails
            return;
        }

        var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        new DaemonConnection(socket, daemon, number).Serve(buffer.AsSpan(0, Math.Max(n, 0)));
    }

    private static void SendAll(int fd, ReadOnlyMemory<byte> reply)
    {
        // The reply is small and the socket's buffer empty: one send takes it all. Prebuilt replies
        // are arrays; a failed send means the client left, which closing handles.
        if (MemoryMarshal.TryGetArray(reply, out var segment) && segment.Offset == 0 && segment.Array is { } array)
            _ = LibC.Send(fd, array, segment.Count, LibC.MsgNoSignal);
        else
            _ = LibC.Send(fd, reply.ToArray(), reply.Length, LibC.MsgNoSignal);
    }

    // accept4 errors that concern one client, or a passing shortage of descriptors or memory,
    // keep the loop going; anything else means the listener is gone.
    private static bool Retry(int errno, EpmdDaemon daemon)
    {
        switch (errno)
        {
            case LibC.EIntr or LibC.EAgain or LibC.EConnAborted or LibC.EProto:
                return true;
            case LibC.EMFile or LibC.ENFile or LibC.ENoBufs or LibC.ENoMem:
                EpmdLog.AcceptFailed(daemon.Logger, SocketError.TooManyOpenSockets);
                Thread.Sleep(10);
                return true;
            default:
                EpmdLog.AcceptFailed(daemon.Logger, (SocketError)errno);
                return errno is not (LibC.EBadF or LibC.EInval or LibC.ENotSock);
        }
    }
}
