using Xunit;

namespace Beamwire.Testing.Tests;

/// <summary>A peer of each release and front end starts, is the release it claims, and evaluates.</summary>
public sealed class PeerEvalTests
{
    // What Debian ships with each generation (../shared/MACHINE.md); the suite claims exactly these.
    private static readonly Dictionary<OtpRelease, string> ElixirSeries = new()
    {
        [OtpRelease.Otp25] = "1.14.",
        [OtpRelease.Otp27] = "1.18.",
        [OtpRelease.Otp29] = "1.20.",
    };

    [Theory, MemberData(nameof(OtpReleases.AllWithKinds), MemberType = typeof(OtpReleases))]
    public async Task Peer_runs_the_release_it_claims_and_prints_nothing_else(OtpRelease release, PeerKind kind)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release)
        {
            Kind = kind,
            EpmdPort = epmd.Port,
            ExtraArgs = ["-kernel", "net_ticktime", "7"],
        });

        var otp = $"\"{(int)release}\"";
        if (kind == PeerKind.Erl)
        {
            Assert.Equal(otp, await peer.EvalTextAsync("erlang:system_info(otp_release)."));
            Assert.Equal(peer.NodeName, await peer.EvalTextAsync("node()."));
        }
        else
        {
            Assert.Equal(otp, await peer.EvalTextAsync("System.otp_release()"));
            Assert.StartsWith("\"" + ElixirSeries[release], await peer.EvalTextAsync("System.version()"), StringComparison.Ordinal);
            Assert.Equal(":" + peer.NodeName, await peer.EvalTextAsync("node()"));
        }

        // Extra emulator flags reach the runtime (through --erl for Elixir).
        Assert.Equal("7", await peer.EvalTextAsync(kind == PeerKind.Erl ? "net_kernel:get_net_ticktime()." : ":net_kernel.get_net_ticktime()"));

        // No locale warning, banner or log line may mix into what tests read.
        Assert.Equal("", peer.Output.Trim());
    }

    [Theory, MemberData(nameof(OtpReleases.AllWithKinds), MemberType = typeof(OtpReleases))]
    public async Task Bindings_and_the_mailbox_persist_between_evals(OtpRelease release, PeerKind kind)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { Kind = kind, EpmdPort = epmd.Port });
        var erl = kind == PeerKind.Erl;

        await peer.EvalTextAsync(erl ? "X = 41." : "x = 41");
        Assert.Equal("42", await peer.EvalTextAsync(erl ? "X + 1." : "x + 1"));
        await peer.EvalTextAsync(erl ? "self() ! hello." : "send(self(), :hello)");
        Assert.Equal(erl ? "got" : ":got",
            await peer.EvalTextAsync(erl ? "receive hello -> got after 1000 -> none end." : "receive do :hello -> :got after 1000 -> :none end"));

        var value = await peer.EvalAsync(erl ? "{ok, <<\"é\"/utf8>>}." : "{:ok, \"é\"}");
        Assert.True(value.Ok);
        // term_to_binary(V, [{minor_version, 2}]) of the real runtime: version byte, then a 2-tuple.
        Assert.Equal(131, value.Etf[0]);
        Assert.Equal(104, value.Etf[1]);
        Assert.Equal(erl ? "{ok,<<\"é\"/utf8>>}" : "{:ok, \"é\"}", value.Text);

        var failed = await peer.EvalAsync(erl ? "erlang:error(boom_1)." : "raise ArgumentError, \"boom_1\"");
        Assert.False(failed.Ok);
        Assert.Contains("boom_1", failed.Text, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task A_script_file_from_the_host_runs_on_each_release(OtpRelease release)
    {
        using var dir = new TempDir();
        var script = Path.Combine(dir.Path, "hello.exs");
        File.WriteAllText(script, "IO.puts(\"hello from \" <> System.otp_release() <> \" \" <> Enum.join(System.argv(), \",\"))\n");
        var install = OtpInstall.Get(release);

        var run = await OtpCommand.RunAsync(release, "elixir", [install.ShareFile(script), "a", "b"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"hello from {(int)release} a,b", run.StdOut.Trim());
    }
}
