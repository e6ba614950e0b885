using Beamwire.Testing;
using Xunit;

namespace Beamwire.Cli.Tests;

/// <summary>The shell's start-up failures (one line, an exit code each) and its piped-input mode, against a real erl node.</summary>
public sealed class ShellFailureTests
{
    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Shell_start_failures_are_one_line_with_their_exit_code_and_piped_input_works(OtpRelease release)
    {
        using var box = new CliSandbox();
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { Cookie = "cookie", EpmdPort = epmd.Port });
        var env = box.Env(epmd.Port);

        NodeCommandTests.AssertFailure(await BeamwireCli.RunAsync(env, null, "shell", "--remsh", "nobody", "--cookie", "cookie"), 7, "is not running");
        NodeCommandTests.AssertFailure(await BeamwireCli.RunAsync(env, null, "shell", "--remsh", peer.NodeName, "--cookie", "wrong"), 7, "cookies differ");
        NodeCommandTests.AssertFailure(await BeamwireCli.RunAsync(env, null, "shell", "--remsh", peer.NodeName, "--cookie", "cookie", "--epmd-port", FreePort.Next().ToString()), 5, "cannot reach epmd");
        NodeCommandTests.AssertFailure(await BeamwireCli.RunAsync(env, null, "shell", "--cookie", "cookie"), 2, "give it a name");
        NodeCommandTests.AssertFailure(await BeamwireCli.RunAsync(env, null, "shell", "--sname", peer.NodeName.Split('@')[0], "--cookie", "cookie"), 4, "already registered");
        NodeCommandTests.AssertFailure(await BeamwireCli.RunAsync(env, null, "shell", "--snam", "x"), 2, "Unrecognized command or argument '--snam'");

        // Input that is not a terminal: prompts and values, as iex prints them with piped input.
        var name = TestHost.UniqueName("piped");
        var r = await BeamwireCli.RunWithInputAsync(env, null, $"Node.ping(:\"{peer.NodeName}\")\nnodes().\n", "shell", "--sname", name, "--cookie", "cookie");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"iex({name}@{TestHost.ShortName})1> :pong\n", r.StdOut);
        Assert.Contains($"iex({name}@{TestHost.ShortName})2> [{peer.NodeName}]\n", r.StdOut);
        Assert.Equal("", r.StdErr);
    }
}
