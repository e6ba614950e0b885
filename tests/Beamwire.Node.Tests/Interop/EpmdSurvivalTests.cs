using System.Diagnostics;
using Beamwire.Epmd;
using Beamwire.Node.Tests.Support;
using Beamwire.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Beamwire.Node.Tests.Interop;

/// <summary>
/// The node that started the in-process epmd stops; every other Beamwire node of the host registers
/// again (one of them starts the new epmd, the others find it), and real erl nodes find them by name.
/// </summary>
public sealed class EpmdSurvivalTests(ITestOutputHelper output)
{
    // The product's target is 1 s from the loss; this bound is for a loaded 2-core machine.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task When_the_hosting_node_stops_the_others_register_again_and_erl_pings_them_by_name(OtpRelease release)
    {
        var port = FreePort.Next();
        var hostLog = new CapturingLogger();
        var host = await StartAutoAsync(port, hostLog);
        await using var hostGuard = host; // disposed below; a failure before that still cleans up
        Assert.Contains("started one in this process", hostLog.Text, StringComparison.Ordinal);

        var logs = Enumerable.Range(0, 3).Select(_ => new CapturingLogger()).ToArray();
        var survivors = new List<BeamNode>();
        try
        {
            foreach (var log in logs)
                survivors.Add(await StartAutoAsync(port, log));
            Assert.All(logs, l => Assert.DoesNotContain("started one", l.Text, StringComparison.Ordinal));
            await using var erl = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = port, Cookie = TestNodes.Cookie });
            var erlAlive = erl.NodeName[..erl.NodeName.IndexOf('@')];

            var clock = Stopwatch.StartNew();
            await host.DisposeAsync();
            var disposed = clock.Elapsed;
            var alive = survivors.Select(s => s.Self.Alive).ToList();
            while (!await EpmdNames.ListsAllAsync(port, alive))
            {
                Assert.True(clock.Elapsed < Bound, $"survivors not all registered again {clock.ElapsedMilliseconds} ms after the hosting node began to stop");
                await Task.Delay(5);
            }

            var back = clock.Elapsed;
            output.WriteLine($"OTP {(int)release}: host disposed in {disposed.TotalMilliseconds:F0} ms; all {alive.Count} survivors listed {back.TotalMilliseconds:F0} ms after dispose began");
            // epmd lists a name as soon as it has the ALIVE2 request; each node logs once it has the reply.
            Assert.True(await TestNodes.EventuallyAsync(() => logs.All(l => l.Contains("registered again")), Bound));
            foreach (var l in logs)
                output.WriteLine("  " + l.Lines.Single(x => x.Contains("registered again", StringComparison.Ordinal)));

            // The real epmd client sees them in the new daemon; the erl node is in nobody's care.
            var names = await OtpCommand.RunAsync(release, "epmd", ["-names"], new Dictionary<string, string> { ["ERL_EPMD_PORT"] = port.ToString() });
            Assert.Equal(0, names.ExitCode);
            foreach (var s in survivors)
                Assert.Contains($"name {s.Self.Alive} at port {s.Port}\n", names.StdOut);
            Assert.DoesNotContain($"name {erlAlive} at port", names.StdOut);

            // erl finds each survivor by name (PORT_PLEASE2 to the new daemon) and pings it.
            foreach (var s in survivors)
                Assert.Equal("pong", await erl.EvalTextAsync($"net_adm:ping('{s.Self}')."));

            // Exactly one survivor started the new epmd; each logged the loss and the return once.
            Assert.Single(logs, l => l.Contains("started one in this process"));
            Assert.All(logs, l =>
            {
                Assert.Single(l.Lines, x => x.Contains("closed the registration of", StringComparison.Ordinal));
                Assert.Single(l.Lines, x => x.Contains("registered again", StringComparison.Ordinal));
            });
        }
        finally
        {
            foreach (var s in survivors)
                await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_node_keeps_its_creation_and_its_connections_when_it_registers_again()
    {
        var port = FreePort.Next();
        await using var host = await StartAutoAsync(port, new CapturingLogger());
        var log = new CapturingLogger();
        await using var survivor = await StartAutoAsync(port, log);
        await using var peer = await StartAutoAsync(port, new CapturingLogger());
        Assert.Equal(PingResult.Pong, await peer.PingAsync(survivor.Self.Full));
        var creation = survivor.Creation;

        await host.DisposeAsync();
        Assert.True(await TestNodes.EventuallyAsync(() => log.Contains("registered again"), Bound), log.Text);

        Assert.Equal(creation, survivor.Creation);
        Assert.Contains(peer.Nodes(), n => n == survivor.Self); // the distribution connection never depended on epmd
        var info = await new EpmdClient("localhost", port).PortPleaseAsync(survivor.Self.Alive);
        Assert.Equal(survivor.Port, info?.Port);
    }

    [Fact]
    public async Task A_node_whose_name_a_real_epmd_stops_registers_again_there()
    {
        await using var epmd = await RealEpmd.StartAsync(OtpRelease.Otp25, null, "-relaxed_command_check");
        var log = new CapturingLogger();
        await using var node = await TestNodes.StartAsync(epmd.Port, log: log); // External: it only ever finds epmd

        var stop = await OtpCommand.RunAsync(OtpRelease.Otp25, "epmd", ["-stop", node.Self.Alive], epmd.Env);
        Assert.Equal("STOPPED\n", stop.StdOut);
        Assert.True(await TestNodes.EventuallyAsync(() => log.Contains("registered again"), Bound), log.Text);
        var names = await OtpCommand.RunAsync(OtpRelease.Otp25, "epmd", ["-names"], epmd.Env);
        Assert.Contains($"name {node.Self.Alive} at port {node.Port}\n", names.StdOut);
        Assert.Contains("(epmd already running)", log.Text);
    }

    private static Task<BeamNode> StartAutoAsync(int port, CapturingLogger log) =>
        TestNodes.StartAsync(port, log: log, configure: o => o.Epmd = EpmdMode.Auto);
}
