using Beamwire.Cluster.Tests.Support;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Cluster.Tests.Interop;

/// <summary>
/// The tutorial's libcluster example with a Beamwire node as node1: an Epmd topology of three names,
/// the Elixir nodes started after it. It logs libcluster's lines (the name printed exactly as the
/// Elixir peer's own <c>inspect/1</c> prints it) and ends in a full mesh.
/// </summary>
public sealed class EpmdStrategyTests
{
    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Nodes_not_up_yet_are_unable_to_connect_then_connected_once_they_start(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var log = new LogLines();
        await using var node = await ClusterNodes.StartAsync(epmd.Port, log);
        var node2 = TestHost.UniqueName("node2");
        var node3 = TestHost.UniqueName("node3");
        var host = TestHost.ShortName;
        var options = new ClusterOptions().Add("example", "Epmd",
            ClusterNodes.FastRetry(("Hosts", $"{node.Self.Full},{node2}@{host},{node3}@{host}"), ("MinPeers", "2")));

        await using var cluster = await ClusterService.StartAsync(node, options, log);
        await log.WaitForAsync($"Warning: [libcluster:example] unable to connect to :{node2}@{host}");
        await log.WaitForAsync($"Warning: [libcluster:example] unable to connect to :{node3}@{host}");
        Assert.False(cluster["example"].IsFormed);

        await using var e2 = await ErlangPeer.StartAsync(new PeerOptions(release) { Kind = PeerKind.Elixir, SName = node2, EpmdPort = epmd.Port });
        var inspected = (await e2.EvalTextAsync($"inspect(:\"{node2}@{host}\")")).Trim('"');
        var connected2 = await log.WaitForAsync($"Information: [libcluster:example] connected to {inspected}");
        Assert.EndsWith($"connected to {inspected}", connected2);

        await using var e3 = await ErlangPeer.StartAsync(new PeerOptions(release) { Kind = PeerKind.Elixir, SName = node3, EpmdPort = epmd.Port });
        await cluster.WhenFormedAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains(node.Self.Full, await e3.EvalTextAsync("inspect(Node.list())"));
        Assert.Contains(node.Self.Full, await e2.EvalTextAsync("inspect(Node.list())"));
        Assert.Equal(0, log.Count("connected to :" + node.Self.Full)); // itself is never a member
    }
}
