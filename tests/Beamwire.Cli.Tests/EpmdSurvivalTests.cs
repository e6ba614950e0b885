using System.Diagnostics;
using System.Net;
using Beamwire.Epmd;
using Beamwire.Node;
using Beamwire.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using Xunit.Abstractions;

namespace Beamwire.Cli.Tests;

/// <summary>
/// epmd outlives the node that started it: the command starts a detached <c>beamwire epmd -daemon</c>,
/// as erl does; and Beamwire nodes whose epmd process dies register again in a new one.
/// </summary>
public sealed class EpmdSurvivalTests(ITestOutputHelper output)
{
    // The product's target is 1 s; this bound is for a loaded 2-core machine.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_epmd_a_node_or_shell_starts_outlives_it_and_names_keeps_listing_the_others()
    {
        using var box = new CliSandbox();
        var port = FreePort.Next();
        var env = box.Env(port);
        var host = TestHost.ShortName;
        var (first, shell, other) = (TestHost.UniqueName("first"), TestHost.UniqueName("sh"), TestHost.UniqueName("other"));
        try
        {
            // The first node finds no epmd and starts one detached; the shell and the other node use it.
            await using var firstNode = BeamwireCli.Start(env, null, "node", "--sname", first, "--cookie", "c");
            await firstNode.WaitForOutputAsync("started, listening on port");
            var daemons = DetachedEpmd.On(port);
            var daemon = Assert.Single(daemons);
            Assert.Equal(daemon.Pid, DetachedEpmd.SessionOf(daemon.Pid)); // a session of its own, like epmd -daemon
            Assert.Equal(BeamwireCli.Path, daemon.Argv[0]); // the very command that started it (AOT binary or apphost)

            await using var shellNode = BeamwireCli.Start(env, null, "shell", "--sname", shell, "--cookie", "c");
            await shellNode.Process.StandardInput.WriteLineAsync("Node.self()");
            await shellNode.Process.StandardInput.FlushAsync();
            await shellNode.WaitForOutputAsync($"{shell}@{host}");
            await using var otherNode = BeamwireCli.Start(env, null, "node", "--sname", other, "--cookie", "c");
            await otherNode.WaitForOutputAsync("started, listening on port");
            Assert.Single(DetachedEpmd.On(port));

            // The node that started epmd is killed: epmd stays, with the others' names.
            firstNode.Signal("KILL");
            await firstNode.WaitForExitAsync(TimeSpan.FromSeconds(10));
            var names = await NamesAsync(env, port, shell, other);
            Assert.DoesNotContain($"name {first} ", names);
            var real = await OtpCommand.RunAsync(OtpRelease.Otp25, "epmd", ["-names"], new Dictionary<string, string> { ["ERL_EPMD_PORT"] = port.ToString() });
            Assert.Equal(0, real.ExitCode);
            Assert.Contains($"name {shell} at port ", real.StdOut);
            Assert.Contains($"name {other} at port ", real.StdOut);

            // Ctrl-D in the shell (end of its input): it leaves; names still answers and lists the other node.
            shellNode.Process.StandardInput.Close();
            Assert.Equal(0, await shellNode.WaitForExitAsync(TimeSpan.FromSeconds(15)));
            names = await NamesAsync(env, port, other);
            Assert.DoesNotContain($"name {shell} ", names);
            Assert.Equal(daemon.Pid, Assert.Single(DetachedEpmd.On(port)).Pid);
        }
        finally
        {
            await DetachedEpmd.KillAsync(port);
        }
    }

    [Fact]
    public async Task Run_as_dotnet_beamwire_dll_the_detached_epmd_runs_through_dotnet_too()
    {
        using var box = new CliSandbox();
        var port = FreePort.Next();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "beamwire.dll"), "node", "--sname", TestHost.UniqueName("dll"), "--cookie", "c", "--epmd-port", port.ToString(), "--exit-after-start" })
            psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = box.Home;
        foreach (var k in psi.Environment.Keys.Where(k => k.StartsWith("BEAMWIRE_", StringComparison.Ordinal) || k == "ERL_EPMD_PORT").ToList()) psi.Environment.Remove(k);
        try
        {
            using (var node = Process.Start(psi)!)
            {
                var stdout = node.StandardOutput.ReadToEndAsync();
                var stderr = node.StandardError.ReadToEndAsync();
                await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.True(node.ExitCode == 0, await stdout + await stderr);
            }

            // The node is gone; its epmd is not, and it is `dotnet .../beamwire.dll epmd -port P`.
            Assert.True(await EpmdAutoStart.IsRunningAsync(port, TimeSpan.FromSeconds(5)));
            var daemon = Assert.Single(DetachedEpmd.On(port));
            Assert.Equal("dotnet", Path.GetFileName(daemon.Argv[0]));
            Assert.Equal(Path.Combine(AppContext.BaseDirectory, "beamwire.dll"), daemon.Argv[1]);
        }
        finally
        {
            await DetachedEpmd.KillAsync(port);
        }
    }

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task When_a_beamwire_process_hosting_epmd_dies_every_beamwire_node_registers_again_and_erl_pings_them(OtpRelease release)
    {
        using var box = new CliSandbox();
        var port = FreePort.Next();
        var survivors = new List<BeamNode>();
        try
        {
            await using var hosting = await BeamwireCli.StartDaemonAsync(port);
            // Nodes hosted by this test process (in-process auto-start, the library's default) ...
            for (var i = 0; i < 2; i++)
            {
                survivors.Add(await BeamNode.StartAsync(new BeamNodeOptions
                {
                    Name = TestHost.UniqueName("lib"), Cookie = "c", EpmdPort = port, ListenAddress = IPAddress.Loopback,
                }, NullLoggerFactory.Instance));
            }

            // ... and one started by the command (detached auto-start), all registered in the daemon that dies.
            var cliName = TestHost.UniqueName("cli");
            await using var cli = BeamwireCli.Start(box.Env(port), null, "node", "--sname", cliName, "--cookie", "c");
            await cli.WaitForOutputAsync("started, listening on port");
            await using var erl = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = port, Cookie = "c" });

            var clock = Stopwatch.StartNew();
            hosting.Process.Kill();
            var alive = survivors.Select(s => s.Self.Alive).Append(cliName).ToList();
            while (!await EpmdNames.ListsAllAsync(port, alive))
            {
                Assert.True(clock.Elapsed < Bound, $"not all registered again {clock.ElapsedMilliseconds} ms after the kill");
                await Task.Delay(5);
            }

            output.WriteLine($"OTP {(int)release}: {alive.Count} nodes registered again {clock.ElapsedMilliseconds} ms after SIGKILL of the epmd process");
            var names = await OtpCommand.RunAsync(release, "epmd", ["-names"], new Dictionary<string, string> { ["ERL_EPMD_PORT"] = port.ToString() });
            foreach (var name in alive)
                Assert.Contains($"name {name} at port ", names.StdOut);
            foreach (var s in survivors)
                Assert.Equal("pong", await erl.EvalTextAsync($"net_adm:ping('{s.Self}')."));
            Assert.Equal("pong", await erl.EvalTextAsync($"net_adm:ping('{cliName}@{TestHost.ShortName}')."));

            // The command's node says so, one line each way.
            await cli.WaitForOutputAsync("registered again");
            Assert.Single(cli.Output.Split('\n'), l => l.Contains("closed the registration of", StringComparison.Ordinal));
            Assert.Single(cli.Output.Split('\n'), l => l.Contains("registered again", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var s in survivors)
                await s.DisposeAsync();
            await DetachedEpmd.KillAsync(port); // the command's node may have started one when the last library node left
        }
    }

    private static async Task<string> NamesAsync(Dictionary<string, string> env, int port, params string[] expected)
    {
        var r = await BeamwireCli.RunAsync(env, null, "names");
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.StartsWith($"epmd: up and running on port {port} with data:\n", r.StdOut, StringComparison.Ordinal);
        foreach (var name in expected)
            Assert.Contains($"name {name} at port ", r.StdOut);
        return r.StdOut;
    }
}
