using System.Net.Sockets;
using Beamwire.Epmd.Tests.Support;
using Beamwire.Testing;
using Xunit;
using static Beamwire.Epmd.Tests.Support.RawEpmd;

namespace Beamwire.Epmd.Tests.Daemon;

/// <summary>The daemon's bounds: request timeout, connection limit, and many clients at once.</summary>
public sealed class DaemonLimitsTests
{
    [Theory, InlineData(false), InlineData(true)]
    public async Task A_stalled_request_is_closed_after_the_timeout_but_a_registration_is_not(bool portableAcceptLoop)
    {
        var log = new CapturingLogger();
        await using var daemon = await EpmdDaemon.StartAsync(
            new EpmdDaemonOptions { Port = 0, RequestTimeout = TimeSpan.FromMilliseconds(300), PortableAcceptLoop = portableAcceptLoop }, log);
        var client = new EpmdClient("localhost", daemon.Port);
        await using var reg = await client.RegisterAsync(TestHost.UniqueName("kept"), 4100);

        // The daemon's clock starts when it accepts the connection, which is after the connect began: a
        // stopwatch started before the connect never reads less than the timeout.
        var closedAfter = System.Diagnostics.Stopwatch.StartNew();
        using var stalled = await ConnectAsync(daemon.Port, "127.0.0.1");
        await stalled.SendAsync(new byte[] { 0, 5, 122 }, SocketFlags.None); // 2 of 5 bytes
        // Meanwhile other clients are served at once.
        Assert.Equal(4100, (await client.PortPleaseAsync(reg.Name))?.Port);
        Assert.Empty(await ReadToEndAsync(stalled));
        // At least the timeout (less a tick of the coarse clock); at most the timeout, a sweep and a loaded machine's delays.
        Assert.InRange(closedAfter.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(8));
        Assert.Equal(1, log.Count("timed out"));

        // The registration is older than the stalled request and outlived its timeout; it stays through
        // more sweeps (every 75 ms here) for twice the timeout, and only the stalled request timed out.
        await Task.Delay(600);
        Assert.True(reg.IsActive);
        Assert.Equal(4100, (await client.PortPleaseAsync(reg.Name))?.Port);
        Assert.Equal(1, log.Count("timed out"));
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Beyond_MaxConnections_new_connections_are_closed_and_logged_then_served_again(bool portableAcceptLoop)
    {
        var log = new CapturingLogger();
        await using var daemon = await EpmdDaemon.StartAsync(
            new EpmdDaemonOptions { Port = 0, MaxConnections = 5, PortableAcceptLoop = portableAcceptLoop }, log);
        var held = new List<Socket>();
        for (var i = 0; i < 5; i++)
        {
            var s = await ConnectAsync(daemon.Port, "127.0.0.1");
            await s.SendAsync(new byte[] { 0, 1 }, SocketFlags.None); // the frame's length only: accepted, then waiting
            held.Add(s);
        }

        await DaemonLifecycleTests.WaitForAsync(() => daemon.ConnectionCount == 5);
        Assert.Empty(await SendAsync(daemon.Port, Frame(110)));
        Assert.True(log.Count("failed opening connection") > 0);

        foreach (var s in held)
        {
            await s.SendAsync(new byte[] { 110 }, SocketFlags.None); // complete the NAMES requests
            Assert.Equal(4, (await ReadToEndAsync(s)).Length);
            s.Dispose();
        }

        await DaemonLifecycleTests.WaitForAsync(() => daemon.ConnectionCount == 0);
        Assert.Equal(4, (await SendAsync(daemon.Port, Frame(110))).Length);
    }

    [Fact]
    public async Task A_thousand_concurrent_clients_are_held_and_all_served()
    {
        await using var daemon = await EpmdDaemon.StartAsync(new EpmdDaemonOptions { Port = 0 });
        var client = new EpmdClient("127.0.0.1", daemon.Port);

        // 1000 nodes register at the same time and hold their registrations.
        var names = Enumerable.Range(0, 1000).Select(i => $"n{i}_{Guid.NewGuid():N}"[..12]).ToArray();
        var regs = await Task.WhenAll(names.Select((n, i) => client.RegisterAsync(n, 20000 + i)));
        // Every registration holds its own name and port (NAMES lists exactly those), and each got a
        // creation from the version-6 range (0-3 are reserved). Creations are per name, as in epmd: names
        // first registered in the same second share their seed, so they need not differ across names.
        var listed = (await client.NamesAsync()).Select(n => (n.Name, n.Port)).Order().ToArray();
        Assert.Equal(names.Select((n, i) => (n, 20000 + i)).Order().ToArray(), listed);
        Assert.All(regs, r => Assert.True(r.IsActive && r.Creation > 3, $"{r.Name}: creation {r.Creation}"));
        Assert.Equal(names, regs.Select(r => r.Name).ToArray());

        // 1000 more clients are mid-request at once, then all complete and get the right answer.
        var sockets = await Task.WhenAll(Enumerable.Range(0, 1000).Select(async i =>
        {
            var s = await ConnectAsync(daemon.Port, "127.0.0.1");
            await s.SendAsync(new byte[] { 0 }, SocketFlags.None);
            return s;
        }));
        var replies = await Task.WhenAll(sockets.Select(async (s, i) =>
        {
            await s.SendAsync(Frame(Named(122, names[i]))[1..], SocketFlags.None);
            var r = await ReadToEndAsync(s);
            s.Dispose();
            return r;
        }));
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(119, replies[i][0]);
            Assert.Equal(0, replies[i][1]);
            Assert.Equal(20000 + i, (replies[i][2] << 8) | replies[i][3]);
        }

        await Task.WhenAll(regs.Select(r => r.DisposeAsync().AsTask()));
        await DaemonLifecycleTests.WaitForAsync(() => daemon.GetNames().Count == 0 && daemon.ConnectionCount == 0);
    }
}
