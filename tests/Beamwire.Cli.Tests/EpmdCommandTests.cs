using System.Text.RegularExpressions;
using Beamwire.Epmd;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Cli.Tests;

/// <summary>
/// <c>beamwire epmd</c> next to erl's <c>epmd</c>: for each situation, both commands against both
/// daemons (real epmd, and ours run as <c>beamwire epmd</c>) must print the same text and exit the same way.
/// </summary>
public sealed class EpmdCommandTests
{
    private sealed record Outcome(int Exit, string StdOut, string StdErr);

    // Runs `-port P <args>` with both clients against the daemon on P.
    private static async Task<(Outcome Real, Outcome Ours)> BothClientsAsync(OtpRelease release, int port, params string[] args)
    {
        var env = new Dictionary<string, string> { ["ERL_EPMD_PORT"] = port.ToString() };
        var real = await OtpCommand.RunAsync(release, "epmd", args, env);
        var ours = await BeamwireCli.RunAsync(["epmd", "-port", port.ToString(), .. args]);
        return (new Outcome(real.ExitCode, real.StdOut, real.StdErr), new Outcome(ours.ExitCode, ours.StdOut, ours.StdErr));
    }

    private static async Task AssertSameAsync(OtpRelease release, int port, Outcome expected, params string[] args)
    {
        var (real, ours) = await BothClientsAsync(release, port, args);
        Assert.Equal(expected, real);
        Assert.Equal(expected, ours);
    }

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Names_kill_and_stop_print_what_epmd_prints_against_both_daemons(OtpRelease release)
    {
        foreach (var ourDaemon in new[] { false, true })
        {
            var port = FreePort.Next();
            await using var real = ourDaemon ? null : await RealEpmd.StartAsync(release, port);
            await using var ours = ourDaemon ? await BeamwireCli.StartDaemonAsync(port) : null;
            var up = $"epmd: up and running on port {port} with data:\n";

            await AssertSameAsync(release, port, new Outcome(0, up, ""), "-names");

            var client = new EpmdClient("localhost", port);
            await using (var a = await client.RegisterAsync("alpha", 45015))
            await using (var b = await client.RegisterAsync("beta", 37709))
            {
                await AssertSameAsync(release, port, new Outcome(0, up + "name beta at port 37709\nname alpha at port 45015\n", ""), "-names");
                await AssertSameAsync(release, port, new Outcome(1, "Killing not allowed - living nodes in database.\n", ""), "-kill");
                await AssertSameAsync(release, port, new Outcome(1, "epmd: local epmd responded with <>\n", ""), "-stop", "alpha");
            }

            await WaitGoneAsync(client);
            // The last one kills the daemon: ours first, so the real command then finds nothing.
            var killedByUs = await BeamwireCli.RunAsync("epmd", "-port", port.ToString(), "-kill");
            Assert.Equal((0, "Killed\n", ""), (killedByUs.ExitCode, killedByUs.StdOut, killedByUs.StdErr));
            await WaitStoppedAsync(port);
            await AssertSameAsync(release, port, new Outcome(1, "", "epmd: Cannot connect to local epmd\n"), "-names");
            await AssertSameAsync(release, port, new Outcome(1, "", "epmd: Cannot connect to local epmd\n"), "-kill");
            await AssertSameAsync(release, port, new Outcome(1, "", "epmd: Cannot connect to local epmd\n"), "-stop", "x");
        }
    }

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Relaxed_stop_and_kill_print_what_epmd_prints_against_both_daemons(OtpRelease release)
    {
        foreach (var ourDaemon in new[] { false, true })
        {
            var port = FreePort.Next();
            await using var real = ourDaemon ? null : await RealEpmd.StartAsync(release, port, "-relaxed_command_check");
            await using var ours = ourDaemon ? await BeamwireCli.StartDaemonAsync(port, "-relaxed_command_check") : null;
            var client = new EpmdClient("localhost", port);
            await using var a = await client.RegisterAsync("alpha", 45015);
            await using var b = await client.RegisterAsync("beta", 45016);

            await AssertSameAsync(release, port, new Outcome(0, "NOEXIST\n", ""), "-stop", "nosuch");
            var stopReal = await OtpCommand.RunAsync(release, "epmd", ["-stop", "alpha"], new Dictionary<string, string> { ["ERL_EPMD_PORT"] = port.ToString() });
            var stopOurs = await BeamwireCli.RunAsync("epmd", "-port", port.ToString(), "-stop", "beta");
            Assert.Equal((0, "STOPPED\n"), (stopReal.ExitCode, stopReal.StdOut));
            Assert.Equal((0, "STOPPED\n"), (stopOurs.ExitCode, stopOurs.StdOut));
            Assert.Empty(await client.NamesAsync());

            await using var c = await client.RegisterAsync("gamma", 45017);
            var kill = await BeamwireCli.RunAsync("epmd", "-port", port.ToString(), "-kill");
            Assert.Equal((0, "Killed\n"), (kill.ExitCode, kill.StdOut));
            await WaitStoppedAsync(port);
        }
    }

    [Fact]
    public async Task Daemon_flag_detaches_into_its_own_session_and_erl_registers_there()
    {
        var port = FreePort.Next();
        var started = await BeamwireCli.RunAsync("epmd", "-daemon", "-relaxed_command_check", "-port", port.ToString());
        try
        {
            Assert.Equal((0, "", ""), (started.ExitCode, started.StdOut, started.StdErr));
            Assert.True(await BeamwireCli.IsListeningAsync(port));
            // Detached: a session leader of its own, not our child.
            var pid = await PidListeningOnAsync(port);
            var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            Assert.Equal(pid.ToString(), fields[3]); // session id
            Assert.NotEqual(Environment.ProcessId.ToString(), fields[1]); // parent

            // Running it again is fine (the port is taken: exit 0), as with epmd.
            Assert.Equal(0, (await BeamwireCli.RunAsync("epmd", "-daemon", "-port", port.ToString())).ExitCode);

            var name = TestHost.UniqueName("a");
            await using var erl = await ErlangPeer.StartAsync(new PeerOptions(OtpRelease.Otp25) { SName = name, EpmdPort = port });
            var names = await BeamwireCli.RunAsync("epmd", "-port", port.ToString(), "-names");
            Assert.Matches($"^epmd: up and running on port {port} with data:\nname {name} at port [0-9]+\n$", names.StdOut);
        }
        finally
        {
            await BeamwireCli.RunAsync("epmd", "-port", port.ToString(), "-kill");
            await WaitStoppedAsync(port);
        }
    }

    [Fact]
    public async Task AutoStart_detached_mode_runs_beamwire_epmd_daemon()
    {
        var port = FreePort.Next();
        var options = new EpmdAutoStartOptions { Mode = EpmdAutoStartMode.Detached, CommandPath = BeamwireCli.Path };
        try
        {
            Assert.Null(await EpmdAutoStart.EnsureRunningAsync(port, options));
            Assert.True(await EpmdAutoStart.IsRunningAsync(port, TimeSpan.FromSeconds(5)));
            await using var reg = await new EpmdClient("localhost", port).RegisterAsync(TestHost.UniqueName("n"), 4300);
            Assert.Null(await EpmdAutoStart.EnsureRunningAsync(port, options)); // the second caller uses it
        }
        finally
        {
            await WaitGoneAsync(new EpmdClient("localhost", port));
            await BeamwireCli.RunAsync("epmd", "-port", port.ToString(), "-kill");
            await WaitStoppedAsync(port);
        }
    }

    [Theory]
    [InlineData("-bogus")]
    [InlineData("-port")]
    [InlineData("-port", "0")]
    [InlineData("-port", "x")]
    [InlineData("-names", "-d")]
    [InlineData("-stop")]
    [InlineData("-kill", "-names")]
    public async Task Bad_command_lines_print_usage_and_exit_1_like_epmd(params string[] args)
    {
        var ours = await BeamwireCli.RunAsync(["epmd", .. args]);
        var real = await OtpCommand.RunAsync(OtpRelease.Otp25, "epmd", args);
        Assert.Equal(real.ExitCode, ours.ExitCode);
        Assert.Equal(1, ours.ExitCode);
        Assert.StartsWith("usage: beamwire epmd", ours.StdErr, StringComparison.Ordinal);
        Assert.StartsWith("usage: epmd", real.StdErr, StringComparison.Ordinal);
        Assert.Equal("", ours.StdOut);
    }

    [Fact]
    public async Task A_taken_port_exits_0_like_epmd_and_debug_logs_in_epmds_format()
    {
        await using var real = await RealEpmd.StartAsync();
        var second = await BeamwireCli.RunAsync("epmd", "-port", real.Port.ToString());
        Assert.Equal(0, second.ExitCode);

        var port = FreePort.Next();
        await using var ours = await BeamwireCli.StartDaemonAsync(port, "-d", "-d", "-address", "127.0.0.2");
        await BeamwireCli.WaitUntilListeningAsync(port, host: "127.0.0.2"); // loopback listens first, the extra address a moment later
        await using (var reg = await new EpmdClient("127.0.0.2", port).RegisterAsync("dbg", 4400))
            Assert.Equal(4400, (await new EpmdClient("127.0.0.1", port).PortPleaseAsync("dbg"))?.Port);
        // The line is written as the daemon registers the name; its stderr reaches us through a pipe a moment later.
        var registering = new Regex(@"^epmd: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}: registering 'dbg:\d+', port 4400\r?$", RegexOptions.Multiline);
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !registering.IsMatch(ours.StdErr) && DateTime.UtcNow < deadline;)
            await Task.Delay(20);
        Assert.Matches(registering, ours.StdErr);
    }

    private static async Task WaitGoneAsync(EpmdClient client)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline;)
        {
            try
            {
                if ((await client.NamesAsync()).Count == 0) return;
            }
            catch (EpmdException)
            {
                return;
            }

            await Task.Delay(10);
        }
    }

    private static async Task WaitStoppedAsync(int port)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && await BeamwireCli.IsListeningAsync(port);)
            await Task.Delay(10);
        Assert.False(await BeamwireCli.IsListeningAsync(port));
    }

    private static async Task<int> PidListeningOnAsync(int port)
    {
        var ss = await OtpCommandShell("ss", "-ltnpH", $"sport = :{port}");
        var m = Regex.Match(ss, @"pid=(\d+)");
        Assert.True(m.Success, ss);
        return int.Parse(m.Groups[1].Value);
    }

    private static async Task<string> OtpCommandShell(string program, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return output;
    }
}
