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

        using var stalled = await ConnectAsync(daemon.Port, "127.0.0.1");
        await stalled.SendAsync(new byte[] { 0, 5, 122 }, SocketFlags.None); // 2 of 5 bytes
        // Meanwhile other clients are served at once.
        Assert.Equal(4100, (await client.PortPleaseAsync(reg.Name))?.Port);
        var closedAfter = System.Diagnostics.Stopwatch.StartNew();
        Assert.Empty(await ReadToEndAsync(stalled));
        Assert.InRange(closedAfter.Elapsed, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3));
        Assert.True(log.Count("timed out") > 0);

        await Task.Delay(600);
        Assert.True(reg.IsActive);
        Assert.Equal(4100, (await client.PortPleaseAsync(reg.Name))?.Port);
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
        Assert.Equal(1000, (await client.NamesAsync()).Count);
        Assert.Equal(1000, regs.Select(r => r.Creation).Count());

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
