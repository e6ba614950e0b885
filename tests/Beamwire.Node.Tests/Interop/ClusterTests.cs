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
        var log = new CapturingLogger();
        await using var node = await TestNodes.StartAsync(epmd.Port, log: log);
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

        // a and b lose each other. With prevent_overlapping_partitions the other members of the partition drop
        // both (OTP's rule); Beamwire does what the erl node c, a member just like it, does.
        await using var c = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = TestHost.UniqueName("c"), EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        Assert.Equal("pong", await c.EvalTextAsync($"net_adm:ping('{a.NodeName}')."));
        Assert.True(await TestNodes.EventuallyAsync(() => node.Nodes().Any(n => n.Full == c.NodeName), TimeSpan.FromSeconds(30)));
        Assert.Equal("ok", await c.EvalTextAsync("global:sync().", TimeSpan.FromSeconds(30)));
        Assert.Equal("true", await a.EvalTextAsync($"erlang:disconnect_node('{b.NodeName}')."));
        // Beamwire drops at least one of them, then holds the same view of a and b as c does.
        Assert.True(await TestNodes.EventuallyAsync(() => node.Nodes().Count(n => n.Full == a.NodeName || n.Full == b.NodeName) < 2, TimeSpan.FromSeconds(30)));
        var expr = $"string:join([atom_to_list(N) || N <- lists:sort(nodes()), N =:= '{a.NodeName}' orelse N =:= '{b.NodeName}'], \",\").";
        string Ours() => "\"" + string.Join(",", node.Nodes().Select(n => n.Full).Where(n => n == a.NodeName || n == b.NodeName).Order(StringComparer.Ordinal)) + "\"";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string theirs;
        async Task<string> Theirs() => await c.EvalTextAsync(expr) is var t && t == "[]" ? "\"\"" : t; // "" prints as []
        while ((theirs = await Theirs()) != Ours() && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(theirs, Ours());
        Assert.Equal("true", await c.EvalTextAsync($"lists:member('{node.Self}', nodes())."));
        Assert.Contains(node.Nodes(), n => n.Full == c.NodeName);
        Assert.True(log.Contains("in order to prevent overlapping partitions"), log.Text);
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
        await using var node = await TestNodes.StartAsync(epmd.Port, configure: null);
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
