using System.Net.Sockets;
using Beamwire.Node.Connection;
using Xunit;

namespace Beamwire.Node.Tests.Connection;

/// <summary>
/// The nodedown reason when the writer thread notices the end first: a peer that went away is Erlang's
/// connection_closed whichever thread sees it; any other send error keeps its text.
/// </summary>
public class WriterEndReasonTests
{
    [Theory]
    [InlineData(SocketError.ConnectionReset)]   // ECONNRESET
    [InlineData(SocketError.Shutdown)]          // EPIPE (broken pipe)
    [InlineData(SocketError.ConnectionAborted)]
    [InlineData(SocketError.NotConnected)]
    public void A_send_refused_because_the_peer_is_gone_is_connection_closed(SocketError error) =>
        Assert.Equal("connection_closed", DistConnection.WriterEndReason(new SocketException((int)error)));

    [Fact]
    public void A_writer_that_ended_without_an_error_or_on_a_disposed_socket_is_connection_closed()
    {
        Assert.Equal("connection_closed", DistConnection.WriterEndReason(null));
        Assert.Equal("connection_closed", DistConnection.WriterEndReason(new ObjectDisposedException("socket")));
    }

    [Fact]
    public void Any_other_send_error_names_itself()
    {
        var error = new SocketException((int)SocketError.TimedOut);
        Assert.Equal("send failed: " + error.Message, DistConnection.WriterEndReason(error));
        Assert.StartsWith("send failed: ", DistConnection.WriterEndReason(new SocketException((int)SocketError.NoBufferSpaceAvailable)));
    }
}
