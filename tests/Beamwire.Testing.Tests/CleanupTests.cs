using System.Net.Sockets;
using Xunit;

namespace Beamwire.Testing.Tests;

/// <summary>No test leaves a process behind: peers (and what they spawned) and epmds end on dispose.</summary>
public sealed class CleanupTests
{
    [Theory, MemberData(nameof(OtpReleases.AllWithKinds), MemberType = typeof(OtpReleases))]
    public async Task Disposing_a_peer_ends_it_and_every_process_it_started(OtpRelease release, PeerKind kind)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { Kind = kind, EpmdPort = epmd.Port });
        IReadOnlyList<OsProcess> tree;
        try
        {
            // A port program that ignores its closed stdin: it outlives the node unless the harness ends it.
            await peer.EvalTextAsync(kind == PeerKind.Erl
                ? "open_port({spawn_executable, \"/bin/sleep\"}, [{args, [\"300\"]}])."
                : "Port.open({:spawn_executable, \"/bin/sleep\"}, args: [\"300\"])");
            tree = await WaitForTreeAsync(peer.ProcessId, "sleep");
        }
        finally
        {
            await peer.DisposeAsync();
        }

        Assert.True(peer.HasExited);
        Assert.Empty(ProcessTree.Survivors(tree));
    }

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Disposing_a_stuck_or_stopped_peer_kills_it(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var stuck = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port });
        var stopped = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port });
        var trees = ProcessTree.Of(stuck.ProcessId).Concat(ProcessTree.Of(stopped.ProcessId)).ToList();
        try
        {
            // The evaluator never reads its end of input again, so only a kill ends this one.
            await Assert.ThrowsAsync<TimeoutException>(() =>
                stuck.EvalAsync("receive never -> ok end.", TimeSpan.FromMilliseconds(300)));
            stopped.Signal("STOP");
        }
        finally
        {
            await stuck.DisposeAsync();
            await stopped.DisposeAsync();
        }

        Assert.Empty(ProcessTree.Survivors(trees));
    }

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Disposing_a_real_epmd_ends_it_and_frees_its_port(OtpRelease release)
    {
        var epmd = await RealEpmd.StartAsync(release);
        var tree = ProcessTree.Of(epmd.ProcessId);
        Assert.Contains(tree, p => p.Name == "epmd"); // chroot exec'd it: no wrapper process left in between
        await epmd.DisposeAsync();

        Assert.Empty(ProcessTree.Survivors(tree));
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", epmd.Port));
    }

    [Theory, MemberData(nameof(OtpReleases.AllWithKinds), MemberType = typeof(OtpReleases))]
    public async Task A_peer_without_its_epmd_fails_to_start_and_starts_no_epmd_of_its_own(OtpRelease release, PeerKind kind)
    {
        var port = FreePort.Next(); // nothing listens here

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ErlangPeer.StartAsync(new PeerOptions(release) { Kind = kind, EpmdPort = port }));

        Assert.Contains("exited during start-up", error.Message, StringComparison.Ordinal);
        // erl's default would have been `epmd -daemon` on that port, detached and outliving the test.
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
    }

    private static async Task<IReadOnlyList<OsProcess>> WaitForTreeAsync(int pid, string member)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var tree = ProcessTree.Of(pid);
            if (tree.Any(p => p.Name == member)) return tree;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no {member} below {pid}: " + string.Join(", ", tree));
            await Task.Delay(20);
        }
    }
}
