using System.Text.Json;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Cli.Tests;

/// <summary><c>beamwire ping</c>, <c>names</c> and <c>rpc</c> as processes against a real epmd and a real erl node of each release.</summary>
public sealed class PingNamesRpcTests
{
    [Theory, MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Ping_names_and_rpc_answer_like_erlang_with_their_exit_codes(OtpRelease release)
    {
        using var box = new CliSandbox();
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { Cookie = "cookie", EpmdPort = epmd.Port });
        var env = box.Env(epmd.Port);
        string[] cookie = ["--cookie", "cookie"];

        // ping: pong (0); a bare name means this host; --json for scripts.
        var r = await BeamwireCli.RunAsync(env, null, ["ping", peer.NodeName, .. cookie]);
        Assert.Equal((0, "pong\n"), (r.ExitCode, r.StdOut));
        r = await BeamwireCli.RunAsync(env, null, ["ping", peer.NodeName.Split('@')[0], .. cookie, "--json"]);
        using (var json = JsonDocument.Parse(r.StdOut))
        {
            Assert.Equal("pong", json.RootElement.GetProperty("result").GetString());
            Assert.Equal(peer.NodeName, json.RootElement.GetProperty("node").GetString());
        }

        // Wrong cookie: pang (1) and why; unknown node: 7; epmd down: 5.
        r = await BeamwireCli.RunAsync(env, null, "ping", peer.NodeName, "--cookie", "wrong");
        NodeCommandTests.AssertFailure(r, 1, "cookies differ");
        Assert.Equal("pang\n", r.StdOut);
        NodeCommandTests.AssertFailure(await BeamwireCli.RunAsync(env, null, ["ping", "nobody@" + TestHost.ShortName, .. cookie]), 7, "is not running");
        NodeCommandTests.AssertFailure(await BeamwireCli.RunAsync(env, null, ["ping", peer.NodeName, .. cookie, "--epmd-port", FreePort.Next().ToString()]), 5, "cannot reach epmd");

        // names: byte for byte what this release's epmd -names prints.
        var expected = await OtpCommand.RunAsync(release, "epmd", ["-names"], epmd.Env);
        r = await BeamwireCli.RunAsync(env, null, "names");
        Assert.Equal((0, expected.StdOut), (r.ExitCode, r.StdOut));
        Assert.Contains($"name {peer.NodeName.Split('@')[0]} at port ", r.StdOut);
        r = await BeamwireCli.RunAsync(env, null, "names", "--json");
        using (var json = JsonDocument.Parse(r.StdOut))
            Assert.Contains(json.RootElement.GetProperty("names").EnumerateArray(), n => n.GetProperty("name").GetString() == peer.NodeName.Split('@')[0]);
        r = await BeamwireCli.RunAsync(env, null, "names", "--epmd-port", FreePort.Next().ToString());
        Assert.Equal((5, "epmd: Cannot connect to local epmd\n"), (r.ExitCode, r.StdErr));

        // rpc: terms in Erlang or Elixir syntax, the value in Erlang (or Elixir) syntax.
        r = await BeamwireCli.RunAsync(env, null, ["rpc", peer.NodeName, "lists", "reverse", "[1,2,{a,\"b\"}]", .. cookie]);
        Assert.Equal((0, "[{a,\"b\"},2,1]\n"), (r.ExitCode, r.StdOut));
        r = await BeamwireCli.RunAsync(env, null, ["rpc", peer.NodeName, ":maps", "get", ":k", "%{k: \"v\"}", .. cookie, "--elixir"]);
        Assert.Equal((0, "\"v\"\n"), (r.ExitCode, r.StdOut));
        // io:format inside the call prints here (through our group leader), not on the peer.
        r = await BeamwireCli.RunAsync(env, null, ["rpc", peer.NodeName, "io", "format", "\"hello ~p~n\"", "[world]", .. cookie]);
        Assert.Equal((0, "ok\n", "hello world\n"), (r.ExitCode, r.StdOut, r.StdErr));
        // An exception there: {badrpc, _} and exit 1; --json says so.
        r = await BeamwireCli.RunAsync(env, null, ["rpc", peer.NodeName, "lists", "nosuch", .. cookie, "--json"]);
        Assert.Equal(1, r.ExitCode);
        using (var json = JsonDocument.Parse(r.StdOut))
        {
            Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
            Assert.Contains("undef", json.RootElement.GetProperty("result").GetString());
        }

        NodeCommandTests.AssertFailure(await BeamwireCli.RunAsync(env, null, ["rpc", peer.NodeName, "lists", "reverse", "[1,2", .. cookie]), 2, "is not a term");
        NodeCommandTests.AssertFailure(await BeamwireCli.RunAsync(env, null, "rpc", peer.NodeName, "erlang", "node", "--cookie", "wrong"), 7, "cookies differ");
        NodeCommandTests.AssertFailure(await BeamwireCli.RunAsync(env, null, "rpc", peer.NodeName), 2, "Required argument missing");
    }
}
