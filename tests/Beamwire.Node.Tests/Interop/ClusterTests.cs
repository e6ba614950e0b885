using Beamwire.Node.Tests.Support;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>Beamwire among Erlang nodes: global, transitive connections, overlapping-partition prevention.</summary>
public class ClusterTests
{
    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Joining_one_member_connects_beamwire_to_all_and_global_stays_in_sync(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var a = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = TestHost.UniqueName("a"), EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        await using var b = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = TestHost.UniqueName("b"), EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        Assert.Equal("pong", await a.EvalTextAsync($"net_adm:ping('{b.NodeName}')."));
        Assert.Equal("ok", await a.EvalTextAsync("global:sync()."));

        // Beamwire connects to a only; a's global tells it about b, and it connects there too.
        Assert.True(await node.ConnectAsync(a.NodeName));
        Assert.True(await TestNodes.EventuallyAsync(() => node.Nodes().Count == 2), string.Join(",", node.Nodes()));
        var all = new[] { a.NodeName, b.NodeName }.Order(StringComparer.Ordinal);
        Assert.Equal(all, node.Nodes().Select(n => n.Full).Order(StringComparer.Ordinal));
        Assert.Equal("true", await TestNodes.EventuallyEvalAsync(a, $"lists:sort(nodes()) =:= lists:sort(['{b.NodeName}', '{node.Self}']).", "true"));
        Assert.Equal("true", await TestNodes.EventuallyEvalAsync(b, $"lists:sort(nodes()) =:= lists:sort(['{a.NodeName}', '{node.Self}']).", "true"));

        // global:sync() returns on the Erlang side (it hangs forever against a node that never answers init_connect).
        Assert.Equal("ok", await a.EvalTextAsync("global:sync().", TimeSpan.FromSeconds(10)));
        Assert.Equal("ok", await b.EvalTextAsync("global:sync().", TimeSpan.FromSeconds(10)));
        // Name registration among the Erlang nodes does not wait on us.
        Assert.Equal("yes", await a.EvalTextAsync("global:register_name(bw_test_name, self()).", TimeSpan.FromSeconds(10)));
        Assert.Equal("true", await TestNodes.EventuallyEvalAsync(b, "is_pid(global:whereis_name(bw_test_name)).", "true"));

        // a and b lose each other: prevent_overlapping_partitions must not take Beamwire down with them.
        Assert.Equal("true", await a.EvalTextAsync($"erlang:disconnect_node('{b.NodeName}')."));
        // Both sides have seen the loss (global reacts to the nodedown), then global gets time to act on it.
        Assert.Equal("false", await TestNodes.EventuallyEvalAsync(b, $"lists:member('{a.NodeName}', nodes()).", "false"));
        await Task.Delay(3000);
        Assert.Equal(all, node.Nodes().Select(n => n.Full).Order(StringComparer.Ordinal));
        Assert.Equal("true", await a.EvalTextAsync($"lists:member('{node.Self}', nodes())."));
        Assert.Equal("true", await b.EvalTextAsync($"lists:member('{node.Self}', nodes())."));
        Assert.Equal(PingResult.Pong, await node.PingAsync(a.NodeName));
        Assert.Equal(PingResult.Pong, await node.PingAsync(b.NodeName));
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Erlang_node_connecting_to_beamwire_brings_in_its_cluster(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var a = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = TestHost.UniqueName("a"), EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        await using var b = await ErlangPeer.StartAsync(new PeerOptions(release)
        {
            Kind = PeerKind.Elixir, SName = TestHost.UniqueName("b"), EpmdPort = epmd.Port, Cookie = TestNodes.Cookie,
        });
        Assert.Equal("pong", await a.EvalTextAsync($"net_adm:ping('{b.NodeName}')."));
        Assert.Equal("ok", await a.EvalTextAsync("global:sync()."));

        // This time the Erlang node dials us.
        Assert.Equal("pong", await a.EvalTextAsync($"net_adm:ping('{node.Self}')."));
        Assert.True(await TestNodes.EventuallyAsync(() => node.Nodes().Count == 2), string.Join(",", node.Nodes()));
        Assert.Equal("true", await TestNodes.EventuallyEvalAsync(b, $"Node.list() |> Enum.member?(:\"{node.Self}\")", "true"));
        Assert.Equal(":ok", await b.EvalTextAsync(":global.sync()", TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task A_node_joining_later_is_connected_too(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port, configure: o => o.ConnectAllInterval = TimeSpan.FromSeconds(1));
        await using var a = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = TestHost.UniqueName("a"), EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        Assert.True(await node.ConnectAsync(a.NodeName));

        // b joins through a only; Erlang's global tells only its known members, so Beamwire asks.
        await using var b = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = TestHost.UniqueName("b"), EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        Assert.Equal("pong", await b.EvalTextAsync($"net_adm:ping('{a.NodeName}')."));
        Assert.Equal("ok", await b.EvalTextAsync("global:sync().", TimeSpan.FromSeconds(10)));
        Assert.True(await TestNodes.EventuallyAsync(() => node.Nodes().Any(n => n.Full == b.NodeName), TimeSpan.FromSeconds(10)),
            string.Join(",", node.Nodes()));
        Assert.Equal("true", await TestNodes.EventuallyEvalAsync(b, $"lists:member('{node.Self}', nodes()).", "true"));
        Assert.Equal("ok", await b.EvalTextAsync("global:sync().", TimeSpan.FromSeconds(10)));
    }
}
