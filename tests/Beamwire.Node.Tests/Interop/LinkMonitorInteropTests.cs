using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;
using static Beamwire.Node.Tests.Interop.PeerProcesses;

namespace Beamwire.Node.Tests.Interop;

/// <summary>Links, exit signals and monitors between Beamwire processes and real erl processes, both ways.</summary>
public class LinkMonitorInteropTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static ErlangAtom A(string name) => ErlangAtom.Get(name);

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Links_and_exit_signals_cross_the_wire_both_ways(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        Assert.True(await node.ConnectAsync(peer.NodeName));
        await RegisterShellAsync(peer);
        using var box = node.CreateMailbox();
        box.TrapExit = true;

        // Beamwire links to an erl process; it exits: {'EXIT', E, Reason} when trapping.
        var e1 = await EvalPidAsync(peer, "E1 = spawn(fun() -> receive stop -> exit({bye, 1}) end end).");
        box.Link(e1);
        await WaitForAsync(peer, "E1", 1);
        await peer.EvalTextAsync("E1 ! stop.");
        var exit1 = (ErlangTuple)await box.ReceiveAsync(m => m is ErlangTuple { Count: 3 } t && t[1].Equals(e1), Wait);
        Assert.Equal("{bye,1}", exit1[2].ToString());

        // An erl process not trapping exits is killed by a linked Beamwire process's crash reason...
        var p2 = node.Spawn(async self =>
        {
            await self.ReceiveAsync(m => m.Equals(A("go")));
            LocalProcess.Exit(new ErlangTuple(A("custom"), A("reason")));
        });
        await BindAsync(peer, box, "P2", p2);
        await peer.EvalTextAsync("E2 = spawn(fun() -> link(P2), receive never -> ok end end), M2 = monitor(process, E2).");
        await WaitForAsync(peer, "E2", 1);
        Assert.True(await TestNodes.EventuallyAsync(() => Process(node, p2).Links.Count == 1));
        node.Send(p2, A("go"));
        Assert.Equal("{custom,reason}", await peer.EvalTextAsync("receive {'DOWN', M2, process, E2, R2} -> R2 after 5000 -> timeout end."));

        // ...and reaches a trapping erl process as a message; exit(P, kill) from erl is untrappable here.
        var p3 = node.Spawn(async self => await self.ReceiveAsync(m => m.Equals(A("never"))), new SpawnOptions { TrapExit = true });
        var m3 = box.Monitor(p3);
        await BindAsync(peer, box, "P3", p3);
        Assert.Equal("true", await peer.EvalTextAsync("process_flag(trap_exit, true), link(P3), exit(P3, kill)."));
        Assert.Equal("killed", ((ErlangTuple)await box.ReceiveAsync(m => ProcessDown(m, m3), Wait))[4].ToString());
        Assert.Equal("killed", await peer.EvalTextAsync("receive {'EXIT', P3, R3} -> R3 after 5000 -> timeout end."));

        // Beamwire's exit(Pid, Reason) (EXIT2) on erl processes: a trapper gets a message, kill kills.
        var e4 = await EvalPidAsync(peer, "E4 = spawn(fun() -> process_flag(trap_exit, true), receive {'EXIT', F, W} -> exit({seen, F, W}) end end).");
        var m4 = box.Monitor(e4);
        await WaitForAsync(peer, "E4", 1, "monitored_by");
        box.SendExit(e4, A("please"));
        Assert.Equal($"{{seen,{box.Pid},please}}", ((ErlangTuple)await box.ReceiveAsync(m => ProcessDown(m, m4), Wait))[4].ToString());
        var e5 = await EvalPidAsync(peer, "E5 = spawn(fun() -> process_flag(trap_exit, true), receive never -> ok end end).");
        var m5 = box.Monitor(e5);
        node.Exit(e5, ErlangAtom.Kill);
        Assert.Equal("killed", ((ErlangTuple)await box.ReceiveAsync(m => ProcessDown(m, m5), Wait))[4].ToString());

        // erl kills an erl process linked to a Beamwire process that is not trapping: it dies killed too.
        var e8 = await EvalPidAsync(peer, "E8 = spawn(fun() -> receive never -> ok end end).");
        var p8 = node.Spawn(async self =>
        {
            self.Link(e8);
            await self.ReceiveAsync(m => m.Equals(A("never")));
        });
        var m8 = box.Monitor(p8);
        await WaitForAsync(peer, "E8", 1);
        Assert.Equal("true", await peer.EvalTextAsync("exit(E8, kill)."));
        Assert.Equal("killed", ((ErlangTuple)await box.ReceiveAsync(m => ProcessDown(m, m8), Wait))[4].ToString());

        // Beamwire unlinks (UNLINK_ID, acked by erl): a later exit of the erl process does not reach us.
        var e6 = await EvalPidAsync(peer, "E6 = spawn(fun() -> receive stop -> exit(late) end end).");
        box.Link(e6);
        box.Unlink(e6);
        // e6's exit signals leave in order over the one connection, its link's before its monitor's: once the
        // DOWN is here, an EXIT would have been too.
        var m6 = box.Monitor(e6);
        await peer.EvalTextAsync("E6 ! stop.");
        Assert.Equal("late", ((ErlangTuple)await box.ReceiveAsync(m => ProcessDown(m, m6), Wait))[4].ToString());
        Assert.Null(await box.TryReceiveAsync(m => m is ErlangTuple { Count: 3 } t && t[1].Equals(e6), TimeSpan.FromMilliseconds(300)));

        // Disconnect: noconnection both ways.
        var e7 = await EvalPidAsync(peer, "E7 = spawn(fun() -> receive never -> ok end end).");
        box.Link(e7);
        var p7 = node.Spawn(async self => await self.ReceiveAsync(m => m.Equals(A("never"))));
        await BindAsync(peer, box, "P7", p7);
        await peer.EvalTextAsync("link(P7).");
        await WaitForAsync(peer, "E7", 1);
        Assert.True(await TestNodes.EventuallyAsync(() => Process(node, p7).Links.Count == 1));
        Assert.True(node.Disconnect(peer.NodeName));
        var exit7 = (ErlangTuple)await box.ReceiveAsync(m => m is ErlangTuple { Count: 3 } t && t[1].Equals(e7), Wait);
        Assert.Equal("noconnection", exit7[2].ToString());
        Assert.True(await TestNodes.EventuallyAsync(() => !node.IsProcessAlive(p7)));
        Assert.Equal("noconnection", await peer.EvalTextAsync("receive {'EXIT', P7, R7} -> R7 after 5000 -> timeout end."));
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Monitors_by_pid_and_name_cross_the_wire_with_erlangs_down_reasons(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        Assert.True(await node.ConnectAsync(peer.NodeName));
        await RegisterShellAsync(peer);
        using var box = node.CreateMailbox();
        var n = node.Self.Full;

        // Beamwire monitors an erl pid and an erl registered name.
        var e1 = await EvalPidAsync(peer, "E1 = spawn(fun() -> register(erl_named, self()), receive stop -> exit({x, 1}) end end).");
        var byPid = box.Monitor(e1);
        var byName = box.Monitor("erl_named", peer.NodeName);
        await WaitForAsync(peer, "E1", 2, "monitored_by");
        await peer.EvalTextAsync("E1 ! stop.");
        var downs = new[] { (ErlangTuple)await box.ReceiveAsync(Wait), (ErlangTuple)await box.ReceiveAsync(Wait) };
        Assert.Equal($"{{'DOWN',{byPid},process,{e1},{{x,1}}}}", downs.Single(d => d[1].Equals(byPid)).ToString());
        Assert.Equal($"{{'DOWN',{byName},process,{{erl_named,{peer.NodeName}}},{{x,1}}}}", downs.Single(d => d[1].Equals(byName)).ToString());

        // noproc for a dead erl pid and an unregistered erl name.
        var dead = box.Monitor(e1);
        var nobody = box.Monitor("nobody", peer.NodeName);
        Assert.Equal("noproc", ((ErlangTuple)await box.ReceiveAsync(m => ProcessDown(m, dead), Wait))[4].ToString());
        Assert.Equal("noproc", ((ErlangTuple)await box.ReceiveAsync(m => ProcessDown(m, nobody), Wait))[4].ToString());

        // erl monitors a Beamwire pid and {Name, Node}: the DOWN messages are exactly Erlang's.
        var p2 = node.Spawn(async self => LocalProcess.Exit(await self.ReceiveAsync()), new SpawnOptions { Name = "bw_named" });
        await BindAsync(peer, box, "P2", p2);
        await peer.EvalTextAsync($"M2a = monitor(process, P2), M2b = monitor(process, {{bw_named, '{n}'}}).");
        Assert.True(await TestNodes.EventuallyAsync(() => Process(node, p2).MonitoredBy.Count == 2));
        node.Send(p2, new ErlangTuple(A("shutdown"), A("done")));
        Assert.Equal("ok", await peer.EvalTextAsync(
            $"receive {{'DOWN', M2a, process, P2, {{shutdown, done}}}} -> ok after 5000 -> timeout end."));
        Assert.Equal("ok", await peer.EvalTextAsync(
            $"receive {{'DOWN', M2b, process, {{bw_named, '{n}'}}, {{shutdown, done}}}} -> ok after 5000 -> timeout end."));
        Assert.Equal("noproc", await peer.EvalTextAsync("M2c = monitor(process, P2), receive {'DOWN', M2c, process, _, R2c} -> R2c after 5000 -> timeout end."));

        // demonitor from erl: no DOWN arrives when the process exits later.
        var p3 = node.Spawn(async self => LocalProcess.Exit(await self.ReceiveAsync()));
        await BindAsync(peer, box, "P3", p3);
        Assert.Equal("true", await peer.EvalTextAsync("M3 = monitor(process, P3), demonitor(M3)."));
        await peer.EvalTextAsync("process_info(self(), monitors).");
        // Once p3 is dead here and a new monitor's noproc has come back over the same connection, a DOWN
        // for M3 would have come before it.
        var w3 = box.Monitor(p3);
        node.Send(p3, A("gone"));
        Assert.Equal("gone", ((ErlangTuple)await box.ReceiveAsync(m => ProcessDown(m, w3), Wait))[4].ToString());
        Assert.Equal("ok", await peer.EvalTextAsync("M3c = monitor(process, P3), receive {'DOWN', M3c, _, _, noproc} -> ok after 5000 -> timeout end."));
        Assert.Equal("none", await peer.EvalTextAsync("receive {'DOWN', M3, _, _, _} -> got after 300 -> none end."));

        // Disconnect: DOWN noconnection both ways, {nodedown, Node} for the node monitor.
        var e4 = await EvalPidAsync(peer, "E4 = spawn(fun() -> receive never -> ok end end).");
        var m4 = box.Monitor(e4);
        var p4 = node.Spawn(async self => await self.ReceiveAsync(m => m.Equals(A("never"))));
        await BindAsync(peer, box, "P4", p4);
        await peer.EvalTextAsync("M4 = monitor(process, P4).");
        Assert.True(await TestNodes.EventuallyAsync(() => Process(node, p4).MonitoredBy.Count == 1));
        box.MonitorNode(peer.NodeName);
        await WaitForAsync(peer, "E4", 1, "monitored_by");
        Assert.True(node.Disconnect(peer.NodeName));
        Assert.Equal($"{{'DOWN',{m4},process,{e4},noconnection}}", (await box.ReceiveAsync(m => ProcessDown(m, m4), Wait)).ToString());
        Assert.Equal($"{{nodedown,{peer.NodeName}}}", (await box.ReceiveAsync(m => m is ErlangTuple { Count: 2 }, Wait)).ToString());
        Assert.Equal("noconnection", await peer.EvalTextAsync("receive {'DOWN', M4, process, P4, R4} -> R4 after 5000 -> timeout end."));
        Assert.True(node.IsProcessAlive(p4)); // a monitor does not kill
    }

    private static LocalProcess Process(BeamNode node, ErlangPid pid) => (LocalProcess)node.Processes.Lookup(pid)!;

    private static bool ProcessDown(ErlangTerm m, ErlangReference mref) =>
        m is ErlangTuple { Count: 5 } t && t[0] is ErlangAtom { Name: "DOWN" } && t[1].Equals(mref);
}
