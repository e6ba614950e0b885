using System.Net;
using System.Net.Sockets;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Epmd.Tests.AutoStart;

/// <summary>A node that finds no epmd starts one in-process; later nodes (ours or erl) use it.</summary>
public sealed class EpmdAutoStartTests
{
    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task First_caller_starts_one_and_later_callers_and_real_erl_use_it(OtpRelease release)
    {
        var port = FreePort.Next();
        await using var started = await EpmdAutoStart.EnsureRunningAsync(port);
        Assert.NotNull(started);
        Assert.Equal(port, started.Port);
        Assert.Null(await EpmdAutoStart.EnsureRunningAsync(port));

        // A second Beamwire "node" registers in the daemon the first one started ...
        var client = new EpmdClient("localhost", port);
        await using var ours = await client.RegisterAsync(TestHost.UniqueName("bw"), 4200);
        // ... and so does a real erl (its own `epmd -daemon` finds the port taken and leaves).
        var erlName = TestHost.UniqueName("erl");
        await using var erl = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = erlName, EpmdPort = port });
        var names = await client.NamesAsync();
        Assert.Contains(names, n => n.Name == erlName);
        Assert.Contains(names, n => n.Name == ours.Name && n.Port == 4200);
        Assert.Equal(names.Count, started.GetNames().Count);
    }

    [Fact]
    public async Task Concurrent_callers_start_exactly_one()
    {
        var port = FreePort.Next();
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => EpmdAutoStart.EnsureRunningAsync(port))));
        try
        {
            Assert.Single(results, r => r is not null);
            Assert.Empty(await new EpmdClient("localhost", port).NamesAsync());
        }
        finally
        {
            foreach (var d in results)
                if (d is not null) await d.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_running_real_epmd_is_used_and_Never_mode_fails_without_one()
    {
        await using var real = await RealEpmd.StartAsync();
        Assert.Null(await EpmdAutoStart.EnsureRunningAsync(real.Port, new EpmdAutoStartOptions { Mode = EpmdAutoStartMode.Never }));

        var ex = await Assert.ThrowsAsync<EpmdException>(() =>
            EpmdAutoStart.EnsureRunningAsync(FreePort.Next(), new EpmdAutoStartOptions { Mode = EpmdAutoStartMode.Never }));
        Assert.Equal(EpmdErrorReason.NotRunning, ex.Reason);
    }

    [Fact]
    public async Task A_port_held_by_something_else_is_an_error_not_a_second_daemon()
    {
        using var other = new TcpListener(IPAddress.Any, 0);
        other.Start();
        var port = ((IPEndPoint)other.LocalEndpoint).Port;
        var ex = await Assert.ThrowsAsync<EpmdException>(() =>
            EpmdAutoStart.EnsureRunningAsync(port, new EpmdAutoStartOptions { StartTimeout = TimeSpan.FromMilliseconds(300) }));
        Assert.Equal(EpmdErrorReason.Timeout, ex.Reason);
        Assert.Contains("does not answer like epmd", ex.Message, StringComparison.Ordinal);
    }
}
