using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>rpc and erpc both ways: erl calling .NET functions, .NET calling Erlang, errors and introspection.</summary>
public class RpcInteropTests
{
    private static void Expose(BeamNode node)
    {
        node.Functions.Register("bw_math", "add", 2, a => ((ErlangInteger)a[0]).Value + ((ErlangInteger)a[1]).Value);
        node.Functions.Register("bw_math", "fail", 1, a => throw new ErlangErrorException(a[0]));
        node.Functions.Register("bw_math", "throws", 1, a => throw new ErlangThrowException(a[0]));
        node.Functions.Register("bw_math", "exits", 1, a =>
        {
            LocalProcess.Exit(a[0]);
            return a[0];
        });
        node.Functions.Register("bw_math", "crash", 0, _ => throw new InvalidOperationException("dotnet says no"));
        node.Functions.Register("bw_math", "slow", 0, async (_, _) =>
        {
            await Task.Delay(5000); // far past the 100 ms timeouts below, even on a loaded machine
            return ErlangAtom.Ok;
        });
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task A_function_that_blocks_its_thread_does_not_hold_up_other_calls_from_the_same_node(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        Expose(node);
        // A call starts on the connection's reader thread; one that blocks that thread (no await) must not
        // stall the calls behind it (the reader watchdog moves reading to a new thread). It tells the caller
        // it is running, then blocks until a later call lets it go: that later call gets through only if
        // reading moved on, so no clock decides the outcome.
        using var signals = node.CreateMailbox();
        using var gate = new SemaphoreSlim(0);
        node.Functions.Register("bw_math", "block", 1, a =>
        {
            signals.Send((ErlangPid)a[0], ErlangAtom.Get("entered"));
            return gate.Wait(TimeSpan.FromSeconds(20)) ? ErlangAtom.Ok : ErlangAtom.Get("never_released");
        });
        node.Functions.Register("bw_math", "release", 0, _ =>
        {
            gate.Release();
            return ErlangAtom.Ok;
        });
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        var bw = $"'{node.Self}'";
        Assert.Equal("3", await peer.EvalTextAsync($"rpc:call({bw}, bw_math, add, [1, 2]).")); // connected

        // rpc:block_call goes through rex (rpc:call from OTP 23 on is erpc's spawn request when the node has erpc).
        foreach (var (call, v) in new[] { ("rpc:block_call", "R"), ("erpc:call", "E") })
        {
            // The peer's shell keeps bindings between evaluations: each round binds its own variables.
            var r = await peer.EvalTextAsync(
                $"begin Self{v} = self(), spawn(fun() -> Self{v} ! {{blocked, {call}({bw}, bw_math, block, [Self{v}])}} end), " +
                $"receive entered -> ok after 20000 -> exit(block_never_started) end, " +
                $"3 = {call}({bw}, bw_math, add, [1, 2]), ok = {call}({bw}, bw_math, release, []), " +
                $"receive {{blocked, B{v}}} -> B{v} after 20000 -> no_reply end end.", TimeSpan.FromSeconds(60));
            Assert.Equal("ok", r); // never_released: the calls behind the blocked one waited for its 20 s
        }
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Erl_calls_dotnet_functions_with_rpc_and_erpc(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var log = new CapturingLogger();
        await using var node = await TestNodes.StartAsync(epmd.Port, log: log);
        Expose(node);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        var bw = $"'{node.Self}'";

        // rpc:call: values, and Erlang's badrpc shapes for undef, errors, exits, throws and timeouts.
        Assert.Equal("3", await peer.EvalTextAsync($"rpc:call({bw}, bw_math, add, [1, 2])."));
        Assert.Equal("{badrpc,{'EXIT',{undef,[{nomod,nofun,[a],[]}]}}}", await peer.EvalTextAsync($"rpc:call({bw}, nomod, nofun, [a])."));
        Assert.Equal("{badrpc,{'EXIT',{badarith,[{bw_math,fail,1,[]}]}}}", await peer.EvalTextAsync($"rpc:call({bw}, bw_math, fail, [badarith])."));
        Assert.Equal("v", await peer.EvalTextAsync($"rpc:call({bw}, bw_math, throws, [v])."));
        Assert.Equal("{badrpc,{'EXIT',bye}}", await peer.EvalTextAsync($"rpc:call({bw}, bw_math, exits, [bye])."));
        Assert.Equal("{badrpc,timeout}", await peer.EvalTextAsync($"rpc:call({bw}, bw_math, slow, [], 100)."));
        Assert.Equal("{badrpc,{'EXIT',{{dotnet_exception,'System.InvalidOperationException',<<\"dotnet says no\">>},[{bw_math,crash,0,[]}]}}}",
            await peer.EvalTextAsync($"rpc:call({bw}, bw_math, crash, [])."));

        // erpc:call: the same functions through remote spawn, with erpc's exception classes.
        Assert.Equal("3", await peer.EvalTextAsync($"erpc:call({bw}, bw_math, add, [1, 2])."));
        Assert.Equal("{error,{exception,undef,[{nomod,nofun,[],[]}]}}", await peer.EvalTextAsync($"try erpc:call({bw}, nomod, nofun, []) catch C1:R1 -> {{C1, R1}} end."));
        Assert.Equal("{error,{exception,badarith,[{bw_math,fail,1,[]}]}}", await peer.EvalTextAsync($"try erpc:call({bw}, bw_math, fail, [badarith]) catch C2:R2 -> {{C2, R2}} end."));
        Assert.Equal("{throw,v}", await peer.EvalTextAsync($"try erpc:call({bw}, bw_math, throws, [v]) catch C3:R3 -> {{C3, R3}} end."));
        Assert.Equal("{exit,{exception,bye}}", await peer.EvalTextAsync($"try erpc:call({bw}, bw_math, exits, [bye]) catch C4:R4 -> {{C4, R4}} end."));
        Assert.Equal("{error,{erpc,timeout}}", await peer.EvalTextAsync($"try erpc:call({bw}, bw_math, slow, [], 100) catch C5:R5 -> {{C5, R5}} end."));

        // Introspection operators run on any node, with Erlang's result shapes.
        Assert.Equal(node.Self.Full, await peer.EvalTextAsync($"rpc:call({bw}, erlang, node, [])."));
        Assert.Equal($"[{peer.NodeName}]", await peer.EvalTextAsync($"rpc:call({bw}, erlang, nodes, [])."));
        Assert.Equal($"[{node.Self}]", await peer.EvalTextAsync($"rpc:call({bw}, erlang, nodes, [this])."));
        Assert.Equal("true", await peer.EvalTextAsync($"rpc:call({bw}, erlang, is_alive, [])."));
        Assert.Equal("true", await peer.EvalTextAsync($"lists:member(rex, rpc:call({bw}, erlang, registered, []))."));
        Assert.Equal("true", await peer.EvalTextAsync($"is_pid(rpc:call({bw}, erlang, whereis, [net_kernel]))."));
        Assert.Equal("undefined", await peer.EvalTextAsync($"rpc:call({bw}, erlang, whereis, [nobody])."));
        Assert.Equal("true", await peer.EvalTextAsync($"length(rpc:call({bw}, erlang, processes, [])) > 3."));
        Assert.Equal("\"beamwire\"", await peer.EvalTextAsync($"rpc:call({bw}, erlang, system_info, [otp_release])."));
        Assert.Equal("true", await peer.EvalTextAsync($"is_integer(rpc:call({bw}, erlang, system_info, [process_count]))."));
        Assert.StartsWith("{badrpc,{'EXIT',{badarg,", await peer.EvalTextAsync($"rpc:call({bw}, erlang, system_info, [no_such_item])."), StringComparison.Ordinal);
        Assert.Equal("true", await peer.EvalTextAsync(
            $"{{ok, Ns}} = rpc:call({bw}, net_adm, names, []), lists:keymember(\"{node.Self.Alive}\", 1, Ns)."));

        // OTP's supervisor API works against a Beamwire supervisor.
        var sup = new Supervisor(new SupervisorOptions(), [ChildSpec.Create("worker_a", s => GenServer.StartLinkAsync(s, new Processes.GenServerTests.Counter()))]);
        await GenServer.StartAsync(node, sup, "bw_sup");
        Assert.Equal("[{worker_a,true,worker,dynamic}]", await peer.EvalTextAsync(
            $"[{{Id, is_pid(P), T, M}} || {{Id, P, T, M}} <- supervisor:which_children({{bw_sup, {bw}}})]."));
        Assert.Equal("[{specs,1},{active,1},{supervisors,0},{workers,1}]", await peer.EvalTextAsync($"supervisor:count_children({{bw_sup, {bw}}})."));
        Assert.Equal("ok", await peer.EvalTextAsync($"supervisor:terminate_child({{bw_sup, {bw}}}, worker_a)."));
        Assert.Equal("[{worker_a,undefined,worker,dynamic}]", await peer.EvalTextAsync($"supervisor:which_children({{bw_sup, {bw}}})."));
        Assert.Equal("true", await peer.EvalTextAsync($"{{ok, P6}} = supervisor:restart_child({{bw_sup, {bw}}}, worker_a), is_pid(P6)."));

        // io:format through our rex prints at the caller (its group leader), as between BEAM nodes.
        Assert.Equal("ok", await peer.EvalTextAsync($"rpc:call({bw}, io, format, [\"hello from ~p~n\", [dotnet]])."));
        await peer.WaitForOutputAsync("hello from dotnet", TimeSpan.FromSeconds(30));
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Dotnet_calls_erlang_with_rpc(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var log = new CapturingLogger();
        await using var node = await TestNodes.StartAsync(epmd.Port, log: log);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        var p = peer.NodeName;

        Assert.Equal(p, (await node.RpcAsync(p, "erlang", "node", [])).ToString());
        Assert.Equal("[3,2,1]", (await node.RpcAsync(p, "lists", "reverse", [new ErlangList(1, 2, 3)])).ToString());

        // A user module compiled into the peer (from source text: 27/29 peers run in a chroot with their own /tmp).
        Assert.Equal("{module,bw_user}", await peer.EvalTextAsync(
            "begin Fs = [begin {ok, T, _} = erl_scan:string(S), {ok, F} = erl_parse:parse_form(T), F end || " +
            "S <- [\"-module(bw_user).\", \"-export([double/1]).\", \"double(X) -> 2 * X.\"]], " +
            "{ok, M, B} = compile:forms(Fs), code:load_binary(M, \"bw_user.erl\", B) end."));

        Assert.Equal("42", (await node.RpcAsync(p, "bw_user", "double", [21])).ToString());

        // Errors come back as rpc's {badrpc, Reason}.
        var undef = await Assert.ThrowsAsync<RpcException>(() => node.RpcAsync(p, "nomod", "nofun", []));
        Assert.StartsWith("{'EXIT',{undef,[{nomod,nofun,[],", undef.Reason.ToString(), StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<RpcException>(() => node.RpcAsync(p, "erlang", "error", [ErlangAtom.Get("oops")]));
        Assert.StartsWith("{'EXIT',{oops,", error.Reason.ToString(), StringComparison.Ordinal);
        var timeout = await Assert.ThrowsAsync<RpcException>(() => node.RpcAsync(p, "timer", "sleep", [2000], TimeSpan.FromMilliseconds(100)));
        Assert.Equal("timeout", timeout.Reason.ToString());

        // io:format in Erlang code run for us goes to our group leader and is logged here.
        Assert.Equal("ok", (await node.RpcAsync(p, "io", "format", [new ErlangString("printed by ~p~n"), new ErlangList(ErlangAtom.Get("erlang"))])).ToString());
        Assert.True(await TestNodes.EventuallyAsync(() => log.Contains("printed by erlang")), log.Text);

        // A node that is not there: nodedown.
        var down = await Assert.ThrowsAsync<RpcException>(() => node.RpcAsync($"nobody@{TestHost.ShortName}", "erlang", "node", []));
        Assert.Equal("nodedown", down.Reason.ToString());
    }
}
