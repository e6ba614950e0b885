using Beamwire.Node.Tests.Processes;
using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>GenServer.call/cast between Elixir and Beamwire, both ways, with timeouts and failures.</summary>
public class GenServerInteropTests
{
    private const string ElixirServer = """
        defmodule BwStack do
          use GenServer
          def init(s), do: {:ok, s}
          def handle_call(:get, _from, s), do: {:reply, s, s}
          def handle_call({:sleep, ms}, _from, s), do: (Process.sleep(ms); {:reply, :slept, s})
          def handle_cast({:put, v}, _s), do: {:noreply, v}
        end
        {:ok, _} = GenServer.start(BwStack, :initial, name: :ex_server)
        {:ok, _} = GenServer.start(BwStack, :other, name: :ex_other)
        :started
        """;

    /// <summary>True while the named Elixir server is inside a handle_call sleeping.</summary>
    private static string Sleeping(string name) => $"Process.info(Process.whereis(:{name}), :current_function) == {{:current_function, {{Process, :sleep, 1}}}}";

    private static ErlangAtom A(string name) => ErlangAtom.Get(name);

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Elixir_and_beamwire_call_each_others_genservers(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie, Kind = PeerKind.Elixir });
        var n = $":\"{node.Self.Full}\"";
        var p = peer.NodeName;

        // Elixir -> Beamwire: GenServer.call({name, node}, req) and cast, timeouts, noproc, a crashing server.
        await GenServer.StartAsync(node, new GenServerTests.Counter(), "bw_counter");
        Assert.Equal("0", await peer.EvalTextAsync($"GenServer.call({{:bw_counter, {n}}}, :get)"));
        Assert.Equal(":ok", await peer.EvalTextAsync($"GenServer.cast({{:bw_counter, {n}}}, {{:add, 5}})"));
        Assert.Equal("5", await peer.EvalTextAsync($"GenServer.call({{:bw_counter, {n}}}, :get)"));
        Assert.Equal("{:echo, :hello}", await peer.EvalTextAsync($"GenServer.call({{:bw_counter, {n}}}, :hello)"));
        Assert.Equal(":timeout", await peer.EvalTextAsync($"try do GenServer.call({{:bw_counter, {n}}}, :slow, 200) catch :exit, {{reason, _}} -> reason end"));
        Assert.Equal(":noproc", await peer.EvalTextAsync($"try do GenServer.call({{:nobody, {n}}}, :x, 1000) catch :exit, {{reason, _}} -> reason end"));
        Assert.Contains("asked to crash", await peer.EvalTextAsync($"try do GenServer.call({{:bw_counter, {n}}}, :crash) catch :exit, {{reason, _}} -> reason end"), StringComparison.Ordinal);

        // Beamwire -> Elixir: CallAsync and Cast to a GenServer defined in the peer.
        Assert.Equal(":started", await peer.EvalTextAsync(ElixirServer));
        Assert.Equal("initial", (await GenServer.CallAsync(node, ServerRef.Remote("ex_server", p), A("get"))).ToString());
        GenServer.Cast(node, ServerRef.Remote("ex_server", p), new ErlangTuple(A("put"), A("changed")));
        Assert.Equal("changed", (await GenServer.CallAsync(node, ServerRef.Remote("ex_server", p), A("get"))).ToString());
        var serverPid = (ErlangPid)TermDecoder.Decode((await peer.EvalAsync("Process.whereis(:ex_server)")).Etf);
        Assert.Equal("changed", (await GenServer.CallAsync(node, serverPid, A("get"))).ToString());

        // A timeout: the late reply is dropped (the alias is gone), not left in the caller's mailbox.
        using var caller = node.CreateMailbox();
        var t = await Assert.ThrowsAsync<GenServerCallException>(() =>
            GenServer.CallAsync(caller, ServerRef.Remote("ex_server", p), new ErlangTuple(A("sleep"), 1500), TimeSpan.FromMilliseconds(100)));
        Assert.Equal("timeout", t.Reason.ToString());
        Assert.Equal($"{{timeout,{{gen_server,call,[{{ex_server,{p}}},{{sleep,1500}},100]}}}}", t.ExitReason.ToString());
        Assert.Equal("false", await TestNodes.EventuallyEvalAsync(peer, Sleeping("ex_server"), "false"));
        // The server's next reply to the same node follows the late one: once it is here, the late one was dropped.
        Assert.Equal("changed", (await GenServer.CallAsync(caller, ServerRef.Remote("ex_server", p), A("get"))).ToString());
        Assert.Equal(0, caller.Count);

        var noproc = await Assert.ThrowsAsync<GenServerCallException>(() => GenServer.CallAsync(node, ServerRef.Remote("nobody", p), A("x")));
        Assert.Equal("noproc", noproc.Reason.ToString());

        // The server dies during the call: its reason. The node goes down during a call: {nodedown, Node}.
        var killed = GenServer.CallAsync(node, ServerRef.Remote("ex_server", p), new ErlangTuple(A("sleep"), 5000), TimeSpan.FromSeconds(10));
        Assert.Equal("true", await TestNodes.EventuallyEvalAsync(peer, Sleeping("ex_server"), "true"));
        await peer.EvalTextAsync("Process.exit(Process.whereis(:ex_server), :kill)");
        Assert.Equal("killed", (await Assert.ThrowsAsync<GenServerCallException>(() => killed)).Reason.ToString());
        var cut = GenServer.CallAsync(node, ServerRef.Remote("ex_other", p), new ErlangTuple(A("sleep"), 5000), TimeSpan.FromSeconds(10));
        Assert.Equal("true", await TestNodes.EventuallyEvalAsync(peer, Sleeping("ex_other"), "true"));
        node.Disconnect(p);
        Assert.Equal($"{{nodedown,{p}}}", (await Assert.ThrowsAsync<GenServerCallException>(() => cut)).Reason.ToString());
    }
}
