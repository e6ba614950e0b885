using System.Diagnostics;
using Beamwire.Node.Tests.Support;
using Beamwire.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Beamwire.Node.Tests.Interop;

/// <summary>
/// connect_all through global's sync protocol: clusters of Beamwire and BEAM nodes in every mix, built by a
/// chain of single connects, become full meshes; a hidden node is never meshed.
/// </summary>
public class GlobalMeshTests(ITestOutputHelper output)
{
    /// <summary>Beamwire ('b'), erl ('e') or Elixir ('x') members, in chain order.</summary>
    public static TheoryData<OtpRelease, string> Mixes()
    {
        var data = new TheoryData<OtpRelease, string>();
        foreach (var release in OtpReleases.Listed)
        {
            data.Add(release, "bbe");   // all but one
            data.Add(release, "ebx");   // mostly BEAM
            data.Add(release, "bebxb"); // half and half, chain alternating
            data.Add(release, "bbbbe"); // all but one, the BEAM node at the end
            data.Add(release, "eeeee"); // erl only: the times the others are compared with (test output)
        }

        return data;
    }

    [Fact]
    public async Task Beamwire_only_chains_become_full_meshes()
    {
        await using var epmd = await RealEpmd.StartAsync(OtpRelease.Otp25);
        await using var cluster = await MeshCluster.StartAsync(OtpRelease.Otp25, epmd.Port, "bbbbb");
        await ChainAndCheckAsync(cluster);
    }

    [Theory]
    [MemberData(nameof(Mixes))]
    public async Task Mixed_chains_become_full_meshes(OtpRelease release, string mix)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var cluster = await MeshCluster.StartAsync(release, epmd.Port, mix);
        await ChainAndCheckAsync(cluster);
        // global agrees: every BEAM member's global:sync() returns (it hangs on a peer that does not sync).
        foreach (var peer in cluster.Peers)
            Assert.Equal(peer.Options.Kind == PeerKind.Elixir ? ":ok" : "ok", await peer.EvalTextAsync(peer.Options.Kind == PeerKind.Elixir ? ":global.sync()" : "global:sync().", TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task A_hidden_node_is_never_meshed(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var cluster = await MeshCluster.StartAsync(release, epmd.Port, "be");
        await ChainAndCheckAsync(cluster);
        await using var hidden = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = TestHost.UniqueName("h"), EpmdPort = epmd.Port, Cookie = TestNodes.Cookie, Hidden = true });
        var bw = cluster.Nodes[0];
        Assert.Equal("true", await hidden.EvalTextAsync($"net_kernel:connect_node('{bw.Self}')."));
        Assert.True(await TestNodes.EventuallyAsync(() => bw.Nodes(NodeListKind.Hidden).Any(n => n.Full == hidden.NodeName)));

        // A visible node joins afterwards; once the mesh has taken it in, the hidden node is still only linked to bw.
        await using var late = await MeshCluster.StartAsync(release, epmd.Port, "b");
        Assert.True(await late.Nodes[0].ConnectAsync(bw.Self.Full));
        await WaitForMeshAsync([.. cluster.Members, .. late.Members], TimeSpan.FromSeconds(30));
        Assert.Equal("true", await hidden.EvalTextAsync($"nodes(connected) =:= ['{bw.Self}']."));
        Assert.DoesNotContain(late.Nodes[0].Nodes(NodeListKind.Connected), n => n.Full == hidden.NodeName);
        Assert.Equal("false", await cluster.Peers[0].EvalTextAsync($"lists:member('{hidden.NodeName}', nodes(connected))."));
    }

    [Fact]
    public async Task Without_connect_all_no_mesh_is_made()
    {
        await using var epmd = await RealEpmd.StartAsync(OtpRelease.Otp25);
        await using var a = await TestNodes.StartAsync(epmd.Port, configure: o => o.ConnectAll = false);
        await using var b = await TestNodes.StartAsync(epmd.Port);
        await using var c = await TestNodes.StartAsync(epmd.Port);
        await using var d = await TestNodes.StartAsync(epmd.Port);
        Assert.True(await a.ConnectAsync(b.Self.Full));
        Assert.True(await b.ConnectAsync(c.Self.Full));
        // d joins through c: once b, c and d are a mesh, the sync rounds that would have brought a in are over.
        Assert.True(await d.ConnectAsync(c.Self.Full));
        await WaitForMeshAsync([new MeshMember(b), new MeshMember(c), new MeshMember(d)], TimeSpan.FromSeconds(30));
        Assert.Equal([b.Self], a.Nodes());
        Assert.DoesNotContain(c.Nodes(), n => n == a.Self);
        Assert.DoesNotContain(d.Nodes(), n => n == a.Self);
    }

    private async Task ChainAndCheckAsync(MeshCluster cluster)
    {
        var members = cluster.Members;
        for (var i = 1; i < members.Count; i++)
        {
            var sw = Stopwatch.StartNew();
            await members[i - 1].ConnectAsync(members[i]);
            var took = await WaitForMeshAsync(members.Take(i + 1).ToList(), TimeSpan.FromSeconds(30));
            output.WriteLine($"{string.Concat(members.Take(i + 1).Select(m => m.Kind))}: full mesh {took.TotalMilliseconds:F0} ms after the connect ({sw.ElapsedMilliseconds} ms with the connect)");
        }
    }

    /// <summary>Waits until every member sees every other; fails with the views when it does not happen in time.</summary>
    private static async Task<TimeSpan> WaitForMeshAsync(IReadOnlyList<MeshMember> members, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        var views = new Dictionary<string, IReadOnlyCollection<string>>();
        while (sw.Elapsed < timeout)
        {
            var full = true;
            foreach (var m in members)
            {
                var seen = await m.VisibleNodesAsync();
                views[m.Name] = seen;
                full &= members.Where(o => o != m).All(o => seen.Contains(o.Name));
            }

            if (full) return sw.Elapsed;
            await Task.Delay(20);
        }

        Assert.Fail("no full mesh: " + string.Join("; ", views.Select(v => $"{v.Key} sees [{string.Join(",", v.Value)}]")));
        return sw.Elapsed;
    }
}
