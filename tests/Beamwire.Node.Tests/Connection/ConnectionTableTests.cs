using System.Net;
using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Connection;

/// <summary>Two Beamwire nodes (no epmd: ports resolved directly) for the connection table's own rules.</summary>
public class ConnectionTableTests
{
    private static async Task<(BeamNode A, BeamNode B)> PairAsync(CapturingLogger? log = null, TimeSpan? tick = null)
    {
        var ports = new Dictionary<string, int>();
        BeamNodeOptions Options(string name) => new()
        {
            Name = name, Cookie = "c", Epmd = EpmdMode.Disabled, ListenAddress = IPAddress.Loopback, ListenPort = FreePort.Next(),
            PortResolver = (n, _) => ValueTask.FromResult(ports.TryGetValue(n.Alive, out var p) ? p : (int?)null),
            NetTickTime = tick ?? TimeSpan.FromSeconds(60),
        };
        var a = await BeamNode.StartAsync(Options(TestHost.UniqueName("a")), log);
        var b = await BeamNode.StartAsync(Options(TestHost.UniqueName("b")), log);
        ports[a.Self.Alive] = a.Port;
        ports[b.Self.Alive] = b.Port;
        return (a, b);
    }

    [Fact]
    public async Task Simultaneous_connects_end_with_one_connection()
    {
        var (a, b) = await PairAsync();
        await using (a)
        await using (b)
        {
            for (var round = 0; round < 15; round++)
            {
                var both = await Task.WhenAll(a.ConnectAsync(b.Self.Full), b.ConnectAsync(a.Self.Full));
                Assert.Equal([true, true], both);
                Assert.True(await TestNodes.EventuallyAsync(() => a.Nodes().Count == 1 && b.Nodes().Count == 1));
                Assert.Equal(PingResult.Pong, await a.PingAsync(b.Self.Full));
                Assert.Equal(PingResult.Pong, await b.PingAsync(a.Self.Full));
                Assert.True(a.Disconnect(b.Self.Full));
                Assert.True(await TestNodes.EventuallyAsync(() => a.Nodes().Count == 0 && b.Nodes().Count == 0));
            }
        }
    }

    [Fact]
    public async Task Messages_sent_while_connecting_arrive_in_order_and_nodeup_nodedown_are_reported()
    {
        var (a, b) = await PairAsync();
        await using (a)
        await using (b)
        {
            var ups = new List<string>();
            var downs = new List<string>();
            a.NodeUp += (_, e) => { lock (ups) ups.Add(e.Node.Full); };
            a.NodeDown += (_, e) => { lock (downs) downs.Add(e.Reason); };
            using var inbox = b.CreateMailbox("inbox");
            using var sender = a.CreateMailbox();
            // More than the pending queue holds: the sender waits for the connection, nothing is lost or reordered.
            const int count = 3 * Beamwire.Node.Connection.ConnectionTable.MaxQueuedWhileConnecting;
            await Task.Run(() =>
            {
                for (var i = 0; i < count; i++) sender.Send("inbox", b.Self.Full, ErlangInteger.Create(i));
            });
            for (var i = 0; i < count; i++) Assert.Equal(ErlangInteger.Create(i), await inbox.ReceiveAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal([b.Self.Full], ups);
            Assert.False(a.Disconnect("nobody@nowhere"));
            Assert.True(a.Disconnect(b.Self.Full));
            Assert.True(await TestNodes.EventuallyAsync(() => downs.Count == 1));
            Assert.Equal("disconnect", downs[0]);
        }
    }

    [Fact]
    public async Task Unreachable_and_unknown_nodes_fail_cleanly()
    {
        var log = new CapturingLogger();
        var (a, b) = await PairAsync(log);
        await using (a)
        await using (b)
        {
            Assert.False(await a.ConnectAsync("ghost@" + TestHost.ShortName));
            Assert.Equal(PingResult.Pang, await a.PingAsync("ghost@" + TestHost.ShortName));
            Assert.False(await a.ConnectAsync("not a node name"));
            Assert.True(log.Contains("Connection attempt to ghost@"), log.Text);
            Assert.Equal(PingResult.Pong, await a.PingAsync(a.Self.Full));
        }
    }

    [Fact]
    public async Task Per_node_cookie_overrides_the_default()
    {
        var (a, b) = await PairAsync();
        await using (a)
        await using (b)
        {
            b.SetCookie("other");
            Assert.Equal(PingResult.Pang, await a.PingAsync(b.Self.Full));
            a.SetCookie(b.Self.Full, "other");
            Assert.Equal("other", a.GetCookie(b.Self.Full));
            Assert.Equal("c", a.Cookie);
            Assert.Equal(PingResult.Pong, await a.PingAsync(b.Self.Full));
        }
    }
}
