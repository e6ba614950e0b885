using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Beamwire.Epmd.Tests.Support;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Epmd.Tests.Daemon;

/// <summary>Starting, listening, stopping: ports, address families, port conflicts.</summary>
public sealed class DaemonLifecycleTests
{
    [Fact]
    public async Task Port_0_picks_a_free_port_on_IPv4_and_IPv6_and_dispose_stops_promptly()
    {
        var daemon = await EpmdDaemon.StartAsync(new EpmdDaemonOptions { Port = 0 });
        Assert.NotEqual(0, daemon.Port);
        Assert.Contains(daemon.EndPoints, e => e.AddressFamily == AddressFamily.InterNetwork && e.Port == daemon.Port);
        Assert.Contains(daemon.EndPoints, e => e.AddressFamily == AddressFamily.InterNetworkV6 && e.Port == daemon.Port);

        await using (var reg = await new EpmdClient("::1", daemon.Port).RegisterAsync(TestHost.UniqueName("v6"), 4001))
        {
            var info = await new EpmdClient("127.0.0.1", daemon.Port).PortPleaseAsync(reg.Name);
            Assert.Equal(4001, info?.Port);
        }

        var sw = Stopwatch.StartNew();
        await daemon.DisposeAsync();
        // Well under the 5 s that StopAsync gives an accept thread to end: one still blocked in accept() would take that long.
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(4), $"dispose took {sw.Elapsed}");
        Assert.True(daemon.Completion.IsCompleted);
        await Assert.ThrowsAsync<SocketException>(() => RawEpmd.ConnectAsync(daemon.Port, "127.0.0.1"));
    }

    [Fact]
    public async Task A_taken_port_is_AddressInUse_whether_ours_or_real_epmd_holds_it()
    {
        await using var first = await EpmdDaemon.StartAsync(new EpmdDaemonOptions { Port = 0 });
        var ex = await Assert.ThrowsAsync<EpmdException>(() => EpmdDaemon.StartAsync(new EpmdDaemonOptions { Port = first.Port }));
        Assert.Equal(EpmdErrorReason.AddressInUse, ex.Reason);

        await using var real = await RealEpmd.StartAsync();
        ex = await Assert.ThrowsAsync<EpmdException>(() => EpmdDaemon.StartAsync(new EpmdDaemonOptions { Port = real.Port }));
        Assert.Equal(EpmdErrorReason.AddressInUse, ex.Reason);
    }

    [Fact]
    public async Task Addresses_listen_there_and_on_both_loopbacks()
    {
        await using var daemon = await EpmdDaemon.StartAsync(new EpmdDaemonOptions { Port = 0, Addresses = { IPAddress.Parse("127.0.0.2") } });
        Assert.Equal(3, daemon.EndPoints.Count);
        Assert.Empty(daemon.GetNames());
        foreach (var host in new[] { "127.0.0.1", "::1", "127.0.0.2" })
            Assert.Empty(await new EpmdClient(host, daemon.Port).NamesAsync());
        // Not on other addresses.
        await Assert.ThrowsAsync<EpmdException>(() => new EpmdClient("127.0.0.3", daemon.Port).NamesAsync());
    }

    [Fact]
    public async Task KILL_is_refused_while_names_live_then_stops_the_daemon()
    {
        var daemon = await EpmdDaemon.StartAsync(new EpmdDaemonOptions { Port = 0 });
        var client = new EpmdClient("localhost", daemon.Port);
        await using (await client.RegisterAsync(TestHost.UniqueName("k"), 4002))
        {
            Assert.Equal("NO", await client.KillAsync());
            Assert.False(daemon.Completion.IsCompleted);
        }

        await WaitForAsync(() => daemon.GetNames().Count == 0);
        Assert.Equal("OK", await client.KillAsync());
        await daemon.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        await daemon.DisposeAsync();
    }

    [Fact]
    public async Task Relaxed_STOP_unregisters_and_the_registration_sees_it_Lost()
    {
        await using var daemon = await EpmdDaemon.StartAsync(new EpmdDaemonOptions { Port = 0, RelaxedCommandCheck = true });
        var client = new EpmdClient("localhost", daemon.Port);
        await using var reg = await client.RegisterAsync(TestHost.UniqueName("s"), 4003);
        Assert.Equal("STOPPED", await client.StopAsync(reg.Name));
        await Task.Delay(Timeout.Infinite, reg.Lost).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(await client.PortPleaseAsync(reg.Name));
        Assert.Equal("NOEXIST", await client.StopAsync(reg.Name));
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !condition() && DateTime.UtcNow < deadline;)
            await Task.Delay(10);
        Assert.True(condition());
    }
}
