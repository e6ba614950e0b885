using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Beamwire.Epmd;
using Beamwire.Testing;
using Xunit;
using Xunit.Abstractions;

namespace Beamwire.Cli.Tests;

/// <summary><c>beamwire node</c> run as a process, next to real epmd and real erl/iex peers.</summary>
public sealed partial class NodeCommandTests(ITestOutputHelper output)
{
    /// <summary>How soon after SIGTERM the node is gone from its peers and from epmd.</summary>
    private static readonly TimeSpan LeaveBound = TimeSpan.FromSeconds(3); // 65-600 ms measured beside CPU burners, once 1,028 ms

    [GeneratedRegex(@"beamwire: node (\S+) started, listening on port (\d+)")]
    private static partial Regex StartLine();

    [Theory, MemberData(nameof(OtpReleases.AllWithKinds), MemberType = typeof(OtpReleases))]
    public async Task Node_registers_is_seen_by_peers_logs_nodeup_and_leaves_promptly_after_SIGTERM(OtpRelease release, PeerKind kind)
    {
        using var box = new CliSandbox();
        await using var epmd = await RealEpmd.StartAsync(release);
        var name = TestHost.UniqueName("bwnode");
        await using var node = BeamwireCli.Start(box.Env(), null, "node", "--sname", name, "--cookie", "cookie", "--epmd-port", epmd.Port.ToString());
        var started = StartLine().Match(await node.WaitForOutputAsync("started, listening on port"));
        Assert.Equal($"{name}@{TestHost.ShortName}", started.Groups[1].Value);
        var port = int.Parse(started.Groups[2].Value);

        // Registered with epmd under that port, as the real epmd -names shows.
        var names = await OtpCommand.RunAsync(release, "epmd", ["-names"], epmd.Env);
        Assert.Contains($"name {name} at port {port}\n", names.StdOut);

        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { Kind = kind, Cookie = "cookie", EpmdPort = epmd.Port });
        var full = $"{name}@{TestHost.ShortName}";
        if (kind == PeerKind.Erl)
        {
            Assert.Equal("pong", await peer.EvalTextAsync($"net_adm:ping('{full}')."));
            Assert.Contains(full, await peer.EvalTextAsync("nodes()."));
        }
        else
        {
            Assert.Equal("true", await peer.EvalTextAsync($"Node.connect(:\"{full}\")"));
            Assert.Contains(full, await peer.EvalTextAsync("Node.list()"));
        }

        await node.WaitForOutputAsync($"[info] nodeup {peer.NodeName} (visible)");

        // The peer drops the connection: nodedown with Erlang's reason; then it comes back.
        await peer.EvalTextAsync(kind == PeerKind.Erl ? $"erlang:disconnect_node('{full}')." : $"Node.disconnect(:\"{full}\")");
        await node.WaitForOutputAsync($"[info] nodedown {peer.NodeName}: connection_closed");
        Assert.Equal(kind == PeerKind.Erl ? "pong" : ":pong", await peer.EvalTextAsync(kind == PeerKind.Erl ? $"net_adm:ping('{full}')." : $":net_adm.ping(:\"{full}\")"));

        // The clock starts once kill(1) has exited (the signal is sent by then). Each poll counts from when it
        // was asked: the answer "still there" holds at some moment after that, however slow the reply.
        node.Signal("TERM");
        var clock = Stopwatch.StartNew();
        var listed = kind == PeerKind.Erl ? "nodes()." : "Node.list()";
        while (true)
        {
            var asked = clock.Elapsed;
            if (!(await peer.EvalTextAsync(listed)).Contains(full, StringComparison.Ordinal)) break;
            Assert.True(asked < LeaveBound, $"{full} still in the peer's node list {asked.TotalMilliseconds:0} ms after SIGTERM");
            await Task.Delay(20);
        }

        var client = new EpmdClient("localhost", epmd.Port);
        while (true)
        {
            var asked = clock.Elapsed;
            if (await client.PortPleaseAsync(name) is null) break;
            Assert.True(asked < LeaveBound, $"{name} still registered with epmd {asked.TotalMilliseconds:0} ms after SIGTERM");
            await Task.Delay(20);
        }

        output.WriteLine($"gone from the peer and epmd {clock.ElapsedMilliseconds} ms after SIGTERM");

        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(6)));
        Assert.Contains("SIGTERM: stopping", node.Output);
        Assert.Contains("stopped " + full, node.Output);
    }

    [Fact]
    public async Task Node_exit_codes_say_what_failed()
    {
        using var box = new CliSandbox();
        await using var epmd = await RealEpmd.StartAsync();
        var port = epmd.Port.ToString();
        var name = TestHost.UniqueName("dup");

        // Name in use: the second node with the same name exits 4.
        await using (var first = BeamwireCli.Start(box.Env(), null, "node", "--sname", name, "--cookie", "c", "--epmd-port", port))
        {
            await first.WaitForOutputAsync("started");
            var second = await BeamwireCli.RunAsync(box.Env(), null, "node", "--sname", name, "--cookie", "c", "--epmd-port", port);
            AssertFailure(second, 4, $"'{name}' is already registered");
        }

        // epmd unreachable, and starting one forbidden (erl's -start_epmd false).
        var noEpmd = FreePort.Next().ToString();
        AssertFailure(await BeamwireCli.RunAsync(box.Env(), null, "node", "--sname", "x", "--cookie", "c", "--epmd-port", noEpmd, "--start-epmd", "false"), 5, "no epmd answers");

        // Bad cookie file: readable by others, refused as erl refuses it.
        var cookie = Path.Combine(box.Home, ".erlang.cookie");
        await File.WriteAllTextAsync(cookie, "SECRET");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(cookie, UnixFileMode.UserRead | UnixFileMode.OtherRead);
        AssertFailure(await BeamwireCli.RunAsync(box.Env(), null, "node", "--sname", "x", "--epmd-port", port), 6, "chmod 400");

        // Port in use.
        using var taken = new TcpListener(IPAddress.Any, 0);
        taken.Start();
        var busy = ((IPEndPoint)taken.LocalEndpoint).Port.ToString();
        AssertFailure(await BeamwireCli.RunAsync(box.Env(), null, "node", "--sname", "x", "--cookie", "c", "--epmd-port", port, "--port", busy), 8, "Cannot listen");

        // Usage: unknown flag, missing name, bad value, both name kinds.
        AssertFailure(await BeamwireCli.RunAsync(box.Env(), null, "node", "--sname", "x", "--bogus"), 2, "Unrecognized command or argument '--bogus'");
        AssertFailure(await BeamwireCli.RunAsync(box.Env(), null, "node", "--cookie", "c"), 2, "a node needs a name");
        AssertFailure(await BeamwireCli.RunAsync(box.Env(), null, "node", "--sname", "x", "--port", "http"), 2, "--port: 'http' is not a port number");
        AssertFailure(await BeamwireCli.RunAsync(box.Env(), null, "node", "--sname", "x", "--name", "y@h.example"), 2, "not both");
    }

    [Fact]
    public async Task Settings_come_from_appsettings_json_then_environment_then_flags_and_unknown_keys_are_refused()
    {
        using var box = new CliSandbox();
        await using var epmd = await RealEpmd.StartAsync();
        var port = epmd.Port.ToString();
        var fromFile = TestHost.UniqueName("file");
        await File.WriteAllTextAsync(Path.Combine(box.Home, "appsettings.json"),
            $$"""{ "Logging": { "LogLevel": { "Default": "Information" } }, "Beamwire": { "Sname": "{{fromFile}}", "Cookie": "from-file", "EpmdPort": {{port}} } }""");

        // ./appsettings.json is read by default: the node takes its name and epmd port from it.
        var r = await BeamwireCli.RunAsync(box.Env(), box.Home, "node", "--exit-after-start");
        Assert.True(r.ExitCode == 0, r.StdOut + r.StdErr);
        Assert.Contains($"node {fromFile}@{TestHost.ShortName} started", r.StdOut);
        Assert.Contains($"registered with epmd on port {port}", r.StdOut);

        // The environment overrides the file, a flag overrides both.
        var fromEnv = TestHost.UniqueName("env");
        r = await BeamwireCli.RunAsync(box.Env(null, ("BEAMWIRE_SNAME", fromEnv), ("BEAMWIRE_HIDDEN", "true")), box.Home, "node", "--exit-after-start");
        Assert.Contains($"node {fromEnv}@{TestHost.ShortName} started", r.StdOut);
        Assert.Contains("hidden", r.StdOut);
        var fromFlag = TestHost.UniqueName("flag");
        r = await BeamwireCli.RunAsync(box.Env(null, ("BEAMWIRE_SNAME", fromEnv)), box.Home, "node", "-sname", fromFlag, "--exit-after-start");
        Assert.Contains($"node {fromFlag}@{TestHost.ShortName} started", r.StdOut);

        // A value of the wrong type from the environment: exit 3, naming the variable.
        AssertFailure(await BeamwireCli.RunAsync(box.Env(null, ("BEAMWIRE_EPMD_PORT", "many")), box.Home, "node", "--exit-after-start"), 3, "BEAMWIRE_EPMD_PORT");

        // An unknown key in the file (a typo): exit 3, naming the key and the known ones.
        var bad = Path.Combine(box.Home, "bad.json");
        await File.WriteAllTextAsync(bad, """{ "Beamwire": { "Sname": "x", "Cokie": "typo" } }""");
        AssertFailure(await BeamwireCli.RunAsync(box.Env(), null, "node", "--config", bad), 3, "unknown configuration key 'Beamwire:Cokie'");
        AssertFailure(await BeamwireCli.RunAsync(box.Env(), null, "node", "--config", Path.Combine(box.Home, "missing.json")), 3, "does not exist");
        await File.WriteAllTextAsync(bad, "{ not json");
        AssertFailure(await BeamwireCli.RunAsync(box.Env(), null, "node", "--config", bad), 3, "cannot read configuration file");
    }

    internal static void AssertFailure(OtpCommand.Result r, int exit, string message)
    {
        Assert.True(r.ExitCode == exit, $"expected exit {exit}, got {r.ExitCode}. stdout: {r.StdOut} stderr: {r.StdErr}");
        Assert.Contains(message, r.StdErr);
        // One clear line, never a stack trace.
        Assert.DoesNotContain("   at ", r.StdErr);
        Assert.DoesNotContain("Exception", r.StdErr);
    }
}
