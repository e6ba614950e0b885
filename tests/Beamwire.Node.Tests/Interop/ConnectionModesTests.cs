using System.Net;
using Beamwire.Node.Tests.Support;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>Hidden nodes, long names, epmd started on demand, and no epmd at all.</summary>
public class ConnectionModesTests
{
    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Hidden_connections_stay_out_of_nodes_on_both_sides(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var hidden = await TestNodes.StartAsync(epmd.Port, configure: o => o.Hidden = true);
        await using var visible = await TestNodes.StartAsync(epmd.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        await using var hiddenPeer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie, Hidden = true });

        // Our hidden node: in the peer's nodes(hidden), not nodes().
        Assert.Equal(PingResult.Pong, await hidden.PingAsync(peer.NodeName));
        Assert.Equal("[]", await peer.EvalTextAsync("nodes()."));
        Assert.Equal($"[{hidden.Self}]", await peer.EvalTextAsync("nodes(hidden)."));
        Assert.Empty(hidden.Nodes());
        Assert.Equal([peer.NodeName], hidden.Nodes(NodeListKind.Hidden).Select(n => n.Full));

        // A hidden Erlang node connecting to our visible one.
        Assert.Equal("pong", await hiddenPeer.EvalTextAsync($"net_adm:ping('{visible.Self}')."));
        Assert.Empty(visible.Nodes());
        Assert.Equal([hiddenPeer.NodeName], visible.Nodes(NodeListKind.Hidden).Select(n => n.Full));
        Assert.Equal([hiddenPeer.NodeName], visible.Nodes(NodeListKind.Connected).Select(n => n.Full));
        Assert.Contains(visible.Nodes(NodeListKind.Known), n => n.Full == hiddenPeer.NodeName);
        Assert.Contains(visible.Self, visible.Nodes(NodeListKind.Known));
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Long_names_work_and_modes_do_not_mix(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var log = new CapturingLogger();
        await using var node = await TestNodes.StartAsync(epmd.Port, TestHost.UniqueName("bw") + "@127.0.0.1", log: log,
            configure: o => o.NameMode = NodeNameMode.LongNames);
        await using var shortNode = await TestNodes.StartAsync(epmd.Port, log: log);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release)
        {
            LongName = TestHost.UniqueName("peer") + "@127.0.0.1", EpmdPort = epmd.Port, Cookie = TestNodes.Cookie,
        });
        Assert.Equal("pong", await peer.EvalTextAsync($"net_adm:ping('{node.Self}')."));
        Assert.Equal(PingResult.Pong, await node.PingAsync(peer.NodeName));

        // A short-name node refuses a dotted host, as erl does.
        Assert.False(await shortNode.ConnectAsync(peer.NodeName));
        Assert.True(log.Contains("System NOT running to use fully qualified hostnames"), log.Text);
        // And a long-name node refuses a plain host name.
        Assert.False(await node.ConnectAsync(shortNode.Self.Full));
        Assert.True(log.Contains("System running to use fully qualified hostnames"), log.Text);
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Starts_an_epmd_when_none_answers_and_erlang_uses_it(OtpRelease release)
    {
        var port = FreePort.Next();
        var log = new CapturingLogger();
        await using var node = await TestNodes.StartAsync(port, log: log, configure: o => o.Epmd = EpmdMode.Auto);
        Assert.True(log.Contains($"No epmd answered on port {port}"), log.Text);
        var names = await OtpCommand.RunAsync(release, "epmd", ["-names"], new Dictionary<string, string> { ["ERL_EPMD_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Contains($"name {node.Self.Alive} at port {node.Port}", names.StdOut, StringComparison.Ordinal);

        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = port, Cookie = TestNodes.Cookie });
        Assert.Equal("pong", await peer.EvalTextAsync($"net_adm:ping('{node.Self}')."));
        Assert.Equal(PingResult.Pong, await node.PingAsync(peer.NodeName));
    }

    [Fact]
    public async Task External_epmd_mode_fails_clearly_when_none_runs()
    {
        var port = FreePort.Next();
        var ex = await Assert.ThrowsAsync<Beamwire.Epmd.EpmdException>(() => TestNodes.StartAsync(port));
        Assert.Equal(Beamwire.Epmd.EpmdErrorReason.NotRunning, ex.Reason);
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Without_epmd_nodes_meet_on_fixed_ports(OtpRelease release)
    {
        var ours = FreePort.Next();
        var theirs = FreePort.Next();
        await using var node = await BeamNode.StartAsync(new BeamNodeOptions
        {
            Name = TestHost.UniqueName("bw"), Cookie = TestNodes.Cookie, Epmd = EpmdMode.Disabled,
            ListenAddress = IPAddress.Loopback, ListenPort = ours, PeerPort = theirs,
        });

        // An Erlang node without epmd that does not listen: it finds us on -erl_epmd_port.
        await using (var dialer = await ErlangPeer.StartAsync(new PeerOptions(release)
        {
            Cookie = TestNodes.Cookie, ExtraArgs = ["-start_epmd", "false", "-erl_epmd_port", ours.ToString(System.Globalization.CultureInfo.InvariantCulture), "-dist_listen", "false"],
        }))
        {
            Assert.Equal("pong", await dialer.EvalTextAsync($"net_adm:ping('{node.Self}')."));
        }

        // An Erlang node without epmd listening on its fixed port: we reach it through PeerPort.
        await using var listener = await ErlangPeer.StartAsync(new PeerOptions(release)
        {
            Cookie = TestNodes.Cookie, ExtraArgs = ["-start_epmd", "false", "-erl_epmd_port", theirs.ToString(System.Globalization.CultureInfo.InvariantCulture)],
        });
        Assert.Equal(PingResult.Pong, await node.PingAsync(listener.NodeName));
        Assert.Equal($"[{node.Self}]", await listener.EvalTextAsync("nodes()."));
    }
}
