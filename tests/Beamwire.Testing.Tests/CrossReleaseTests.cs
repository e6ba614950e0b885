using Xunit;

namespace Beamwire.Testing.Tests;

/// <summary>
/// Nodes of every release (the host's OTP 25 and the chroots' OTP 27 and 29), erl and Elixir alike,
/// register in one private real epmd of each release and form one cluster.
/// </summary>
public sealed class CrossReleaseTests
{
    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Peers_of_every_release_ping_each_other_through_a_real_epmd_of(OtpRelease epmdRelease)
    {
        await using var epmd = await RealEpmd.StartAsync(epmdRelease);
        var starting = OtpReleases.Listed
            .SelectMany(r => Enum.GetValues<PeerKind>().Select(k => new PeerOptions(r) { Kind = k, EpmdPort = epmd.Port, Cookie = "cross_release" }))
            .Select(o => ErlangPeer.StartAsync(o))
            .ToList();
        var peers = new List<ErlangPeer>();
        try
        {
            foreach (var s in starting) peers.Add(await s);

            // Every node pings every other: a full mesh of real handshakes between generations.
            foreach (var from in peers)
            {
                foreach (var to in peers.Where(p => p != from))
                {
                    var pong = from.Options.Kind == PeerKind.Erl
                        ? await from.EvalTextAsync($"net_adm:ping('{to.NodeName}').")
                        : await from.EvalTextAsync($"Node.ping(:\"{to.NodeName}\")");
                    Assert.True(pong is "pong" or ":pong", $"{from} -> {to}: {pong}");
                }
            }

            foreach (var p in peers)
            {
                var others = p.Options.Kind == PeerKind.Erl
                    ? await p.EvalTextAsync("lists:sort([atom_to_list(N) || N <- nodes()]).")
                    : await p.EvalTextAsync("Node.list() |> Enum.map(&Atom.to_string/1) |> Enum.sort()");
                foreach (var q in peers.Where(q => q != p))
                    Assert.Contains("\"" + q.NodeName + "\"", others, StringComparison.Ordinal);
            }

            // The release's own epmd client sees every node.
            var names = await OtpCommand.RunAsync(epmdRelease, "epmd", ["-names"], epmd.Env);
            Assert.Equal(0, names.ExitCode);
            foreach (var p in peers)
                Assert.Contains($"name {p.NodeName.Split('@')[0]} at port", names.StdOut, StringComparison.Ordinal);
        }
        finally
        {
            await DisposeAllAsync(starting);
        }
    }

    [Fact]
    public async Task Long_name_peers_of_every_release_ping_each_other()
    {
        await using var epmd = await RealEpmd.StartAsync();
        var starting = OtpReleases.Listed
            .Select(r => ErlangPeer.StartAsync(new PeerOptions(r) { LongName = TestHost.UniqueName("long") + "@127.0.0.1", EpmdPort = epmd.Port }))
            .ToList();
        var peers = new List<ErlangPeer>();
        try
        {
            foreach (var s in starting) peers.Add(await s);
            foreach (var from in peers)
            {
                Assert.EndsWith("@127.0.0.1", from.NodeName, StringComparison.Ordinal);
                foreach (var to in peers.Where(p => p != from))
                    Assert.Equal("pong", await from.EvalTextAsync($"net_adm:ping('{to.NodeName}')."));
            }
        }
        finally
        {
            await DisposeAllAsync(starting);
        }
    }

    // Disposes every peer that started, also those that started after another one failed to.
    private static async Task DisposeAllAsync(IEnumerable<Task<ErlangPeer>> starting)
    {
        foreach (var s in starting)
        {
            ErlangPeer? peer = null;
            try { peer = await s; }
            catch (Exception) { } // the first failure already propagates from the test body
            if (peer is not null) await peer.DisposeAsync();
        }
    }
}
