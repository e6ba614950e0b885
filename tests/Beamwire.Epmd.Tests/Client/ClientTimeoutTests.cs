using System.Net;
using System.Net.Sockets;
using Xunit;

namespace Beamwire.Epmd.Tests.Client;

/// <summary>Timeouts and cancellation against a listener that accepts and never answers.</summary>
public sealed class ClientTimeoutTests
{
    [Fact]
    public async Task A_silent_epmd_times_out_with_Reason_Timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var client = new EpmdClient("127.0.0.1", port) { Timeout = TimeSpan.FromMilliseconds(300) };

        var ex = await Assert.ThrowsAsync<EpmdException>(() => client.PortPleaseAsync("x"));
        Assert.Equal(EpmdErrorReason.Timeout, ex.Reason);
        ex = await Assert.ThrowsAsync<EpmdException>(() => client.RegisterAsync("x", 1234));
        Assert.Equal(EpmdErrorReason.Timeout, ex.Reason);
    }

    [Fact]
    public async Task Caller_cancellation_is_OperationCanceled_not_Timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var client = new EpmdClient("127.0.0.1", port) { Timeout = TimeSpan.FromSeconds(30) };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.NamesAsync(cts.Token));
    }

    [Fact]
    public async Task A_wrong_reply_is_Malformed()
    {
        using var liar = new TcpListener(IPAddress.Loopback, 0);
        liar.Start();
        var port = ((IPEndPoint)liar.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var s = await liar.AcceptSocketAsync();
                await s.ReceiveAsync(new byte[64], SocketFlags.None);
                await s.SendAsync(new byte[] { 0x42, 0x00, 0x01 }, SocketFlags.None);
                s.Shutdown(SocketShutdown.Both);
            }
        });
        var client = new EpmdClient("127.0.0.1", port);
        var ex = await Assert.ThrowsAsync<EpmdException>(() => client.PortPleaseAsync("x"));
        Assert.Equal(EpmdErrorReason.Malformed, ex.Reason);
        ex = await Assert.ThrowsAsync<EpmdException>(() => client.RegisterAsync("x", 1));
        Assert.Equal(EpmdErrorReason.Malformed, ex.Reason);
        await serve;
    }

    [Fact]
    public void Port_comes_from_argument_else_ERL_EPMD_PORT_else_4369()
    {
        Assert.Equal(1234, new EpmdClient("localhost", 1234).Port);
        var saved = Environment.GetEnvironmentVariable("ERL_EPMD_PORT");
        try
        {
            Environment.SetEnvironmentVariable("ERL_EPMD_PORT", "4999");
            Assert.Equal(4999, new EpmdClient().Port);
            Environment.SetEnvironmentVariable("ERL_EPMD_PORT", null);
            Assert.Equal(4369, new EpmdClient().Port);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ERL_EPMD_PORT", saved);
        }
    }
}
