using System.Net.Sockets;

namespace Beamwire.Node.Connection;

/// <summary>
/// The handshake's view of a distribution socket: a <see cref="Stream"/> whose async methods run the blocking
/// socket calls and complete synchronously. The handshake code stays async (pipes, cancellation), and the
/// socket never sees one of .NET's async socket operations, which would register it with the runtime's epoll
/// thread for the connection's lifetime (see <see cref="OutboundQueue"/>). The handshake runs on a thread of
/// its own (<see cref="ConnectionTable"/>), never on a pool thread. Cancellation (the handshake timeout) shuts the
/// socket down, which ends a blocked call; it then surfaces as <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class BlockingSocketStream(Socket socket) : Stream
{
    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => socket.Receive(buffer, offset, count, SocketFlags.None);

    public override int Read(Span<byte> buffer) => socket.Receive(buffer, SocketFlags.None);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty) buffer = buffer[socket.Send(buffer, SocketFlags.None)..];
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var abort = Abort(cancellationToken);
        try
        {
            var n = socket.Receive(buffer.Span, SocketFlags.None);
            cancellationToken.ThrowIfCancellationRequested(); // a shutdown by the timeout reads as end of stream
            return ValueTask.FromResult(n);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var abort = Abort(cancellationToken);
        try
        {
            Write(buffer.Span);
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.CompletedTask;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private CancellationTokenRegistration Abort(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return cancellationToken.UnsafeRegister(static s => ShutDown((Socket)s!), socket);
    }

    /// <summary>Ends whatever blocking call is in progress on <paramref name="socket"/> (a timeout, or the node stopping).</summary>
    public static void ShutDown(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Not connected yet, or already gone: closing it is what ends a blocked connect.
            socket.Dispose();
        }
    }
}
