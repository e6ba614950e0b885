using Beamwire.Node.Tests.Support;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>The seed's iex session, in spirit: a Beamwire node1 and an Elixir node2 find each other.</summary>
public class IexWalkthroughTests
{
    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Elixir_node_lists_connects_and_pings_beamwire(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node1 = await TestNodes.StartAsync(epmd.Port, TestHost.UniqueName("node1"), cookie: "cookie");
        await using var node2 = await ErlangPeer.StartAsync(new PeerOptions(release)
        {
            Kind = PeerKind.Elixir, SName = TestHost.UniqueName("node2"), Cookie = "cookie", EpmdPort = epmd.Port,
        });

        Assert.Equal("[]", await node2.EvalTextAsync("Node.list()"));
        Assert.Empty(node1.Nodes());
        Assert.Equal("true", await node2.EvalTextAsync($"Node.connect(:\"{node1.Self}\")"));
        Assert.Equal("true", await node2.EvalTextAsync($"Node.list() == [:\"{node1.Self}\"]"));
        Assert.True(await TestNodes.EventuallyAsync(() => node1.Nodes().Any(n => n.Full == node2.NodeName)));
        Assert.Equal([node2.NodeName], node1.Nodes().Select(n => n.Full));
        Assert.Equal(":pong", await node2.EvalTextAsync($":net_adm.ping(:\"{node1.Self}\")"));
        Assert.Equal(":pong", await node2.EvalTextAsync($"Node.ping(:\"{node1.Self}\")"));
        Assert.Equal(PingResult.Pong, await node1.PingAsync(node2.NodeName));
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Wrong_cookie_gives_pang_and_a_log_line_on_both_sides(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var log = new CapturingLogger();
        await using var node1 = await TestNodes.StartAsync(epmd.Port, TestHost.UniqueName("node1"), cookie: "cookie", log: log);
        await using var node2 = await ErlangPeer.StartAsync(new PeerOptions(release)
        {
            Kind = PeerKind.Elixir, SName = TestHost.UniqueName("node2"), Cookie = "other", EpmdPort = epmd.Port,
        });

        // Elixir connects to us: we reject its digest and say so.
        Assert.Equal(":pang", await node2.EvalTextAsync($":net_adm.ping(:\"{node1.Self}\")"));
        Assert.True(await TestNodes.EventuallyAsync(() => log.Contains($"Connection attempt from node {node2.NodeName} rejected. Invalid challenge reply")), log.Text);

        // We connect to Elixir: it rejects ours and logs it; we log the failed attempt.
        Assert.Equal(PingResult.Pang, await node1.PingAsync(node2.NodeName));
        await node2.WaitForOutputAsync("Invalid challenge reply", TimeSpan.FromSeconds(10));
        Assert.Contains(node1.Self.Full, node2.Output, StringComparison.Ordinal);
        Assert.True(log.Contains($"Connection attempt to {node2.NodeName} failed"), log.Text);
        Assert.Empty(node1.Nodes());
        Assert.Equal("[]", await node2.EvalTextAsync("Node.list()"));
    }
}
