using Beamwire.Terms;
using Xunit;
using static Beamwire.Node.Tests.Processes.LocalNode;

namespace Beamwire.Node.Tests.Processes;

/// <summary>The process model on one node: spawn, selective receive, links, exits, monitors, names, aliases.</summary>
public class LocalProcessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Selective_receive_keeps_skipped_messages_in_order()
    {
        await using var node = await StartAsync();
        using var box = node.CreateMailbox();
        var echo = node.Spawn(async self =>
        {
            var from = (ErlangPid)await self.ReceiveAsync(m => m is ErlangPid);
            // Take 'b' first, then the rest must come in their original order: a, c, d.
            var first = await self.ReceiveAsync(m => m.Equals(Atom("b")));
            var rest = new List<ErlangTerm> { first };
            for (var i = 0; i < 3; i++) rest.Add(await self.ReceiveAsync());
            self.Send(from, new ErlangList([.. rest]));
        });
        foreach (var a in new[] { "a", "b", "c", "d" }) box.Send(echo, Atom(a));
        box.Send(echo, box.Pid);
        Assert.Equal("[b,a,c,d]", (await box.ReceiveAsync(Wait)).ToString());
    }

    [Fact]
    public async Task Receive_timeouts_and_try_receive()
    {
        await using var node = await StartAsync();
        using var box = node.CreateMailbox();
        await Assert.ThrowsAsync<TimeoutException>(async () => await box.ReceiveAsync(TimeSpan.FromMilliseconds(50)));
        Assert.Null(await box.TryReceiveAsync(null, TimeSpan.FromMilliseconds(50)));
        Assert.Null(await box.TryReceiveAsync(null, TimeSpan.Zero));
        box.Send(box.Pid, Atom("late"));
        Assert.Equal(Atom("late"), await box.TryReceiveAsync(null, TimeSpan.FromSeconds(5)));
        // A message arriving while the receive waits completes it before its deadline.
        var pending = box.ReceiveAsync(m => m.Equals(Atom("x")), TimeSpan.FromSeconds(5)).AsTask();
        node.Send(box.Pid, Atom("y"));
        node.Send(box.Pid, Atom("x"));
        Assert.Equal(Atom("x"), await pending);
        Assert.Equal(1, box.Count);

        // Cancellation ends a pending receive; the mailbox stays usable.
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await box.ReceiveAsync(m => m.Equals(Atom("never")), null, cts.Token));
        Assert.Equal(Atom("y"), await box.ReceiveAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_crash_kills_linked_processes_and_reaches_trappers_as_a_message()
    {
        await using var node = await StartAsync();
        using var trapper = node.CreateMailbox();
        trapper.TrapExit = true;
        var middle = node.Spawn(async self =>
        {
            await self.ReceiveAsync(); // waits forever: killed by the link
        });
        trapper.Link(middle);
        var crasher = node.Spawn(async self =>
        {
            self.Link(middle);
            await self.ReceiveAsync(m => m.Equals(Atom("go")));
            throw new InvalidOperationException("boom");
        });
        node.Send(crasher, Atom("go"));
        var exit = (ErlangTuple)await trapper.ReceiveAsync(m => Tagged(m, "EXIT"), Wait);
        Assert.Equal(middle, exit[1]);
        Assert.Equal("{dotnet_exception,'System.InvalidOperationException',<<\"boom\">>}", exit[2].ToString());
        Assert.False(node.IsProcessAlive(middle));
        Assert.False(node.IsProcessAlive(crasher));
    }

    [Fact]
    public async Task Normal_exits_do_not_kill_and_kill_is_untrappable()
    {
        await using var node = await StartAsync();
        using var watcher = node.CreateMailbox();
        var survivor = node.Spawn(async self => await self.ReceiveAsync(m => m.Equals(Atom("stop"))));
        var quitter = node.Spawn(async self =>
        {
            self.Link(survivor);
            await self.ReceiveAsync();
        });
        var mref = watcher.Monitor(quitter);
        node.Send(quitter, Atom("bye"));
        Assert.Equal("normal", ((ErlangTuple)await watcher.ReceiveAsync(Wait))[4].ToString());
        Assert.True(node.IsProcessAlive(survivor));

        // exit(Pid, normal) is ignored by a process not trapping; exit(Pid, kill) kills even a trapper.
        var trapper = node.Spawn(async self => await self.ReceiveAsync(m => m.Equals(Atom("never"))), new SpawnOptions { TrapExit = true });
        var m2 = watcher.Monitor(trapper);
        node.Exit(survivor, ErlangAtom.Normal);
        node.Exit(trapper, ErlangAtom.Kill);
        var down = (ErlangTuple)await watcher.ReceiveAsync(Wait);
        Assert.Equal(m2, down[1]);
        Assert.Equal("killed", down[4].ToString());
        Assert.True(node.IsProcessAlive(survivor));
        node.Exit(survivor, Atom("shutdown"));
        Assert.True(await Support.TestNodes.EventuallyAsync(() => !node.IsProcessAlive(survivor)));
        Assert.NotEqual(mref, m2);
    }

    [Fact]
    public async Task Monitors_by_pid_and_name_demonitor_flush_and_noproc()
    {
        await using var node = await StartAsync();
        using var box = node.CreateMailbox();
        var named = node.Spawn(async self => Beamwire.Node.LocalProcess.Exit(await self.ReceiveAsync()), new SpawnOptions { Name = "worker" });
        Assert.Equal(named, node.WhereIs("worker"));
        var byName = box.Monitor("worker");
        var byPid = box.Monitor(named);
        node.Send("worker", Atom("because"));
        var downs = new[] { (ErlangTuple)await box.ReceiveAsync(Wait), (ErlangTuple)await box.ReceiveAsync(Wait) };
        var dn = downs.Single(d => d[1].Equals(byName));
        var dp = downs.Single(d => d[1].Equals(byPid));
        Assert.Equal($"{{worker,{node.Self}}}", dn[3].ToString());
        Assert.Equal(named, dp[3]);
        Assert.Equal("because", dn[4].ToString());
        Assert.Null(node.WhereIs("worker"));

        // A dead pid and an unregistered name: DOWN noproc at once.
        var m1 = box.Monitor(named);
        var m2 = box.Monitor("nobody");
        Assert.Equal("noproc", ((ErlangTuple)await box.ReceiveAsync(m => ((ErlangTuple)m)[1].Equals(m1), Wait))[4].ToString());
        Assert.Equal("noproc", ((ErlangTuple)await box.ReceiveAsync(m => ((ErlangTuple)m)[1].Equals(m2), Wait))[4].ToString());

        // demonitor(flush) removes a DOWN already delivered.
        var m3 = box.Monitor(named);
        Assert.True(await Support.TestNodes.EventuallyAsync(() => box.Count == 1), "no DOWN for a dead pid");
        Assert.False(box.Demonitor(m3, flush: true));
        Assert.Equal(0, box.Count);
    }

    [Fact]
    public async Task Unlink_stops_exits_and_link_to_a_dead_process_gives_noproc()
    {
        await using var node = await StartAsync();
        using var box = node.CreateMailbox();
        box.TrapExit = true;
        var p = node.Spawn(async self => Beamwire.Node.LocalProcess.Exit(await self.ReceiveAsync()));
        box.Link(p);
        Assert.Contains(box.Pid, ((Beamwire.Node.LocalProcess)node.Processes.Lookup(p)!).Links);
        box.Unlink(p);
        Assert.Empty(box.Links);
        // p's exit signals go out in order, links before monitors: once its DOWN is here, an EXIT would be too.
        var watch = box.Monitor(p);
        node.Send(p, Atom("crash"));
        var down = (ErlangTuple)await box.ReceiveAsync(Wait);
        Assert.Equal(watch, down[1]);
        Assert.Equal("crash", down[4].ToString());
        Assert.Equal(0, box.Count);
        box.Link(p);
        var exit = (ErlangTuple)await box.ReceiveAsync(Wait);
        Assert.Equal("{'EXIT',", exit.ToString()[..8]);
        Assert.Equal("noproc", exit[2].ToString());

        // Not trapping: linking to a dead local process fails the caller with noproc.
        using var plain = node.CreateMailbox();
        var ex = Assert.Throws<ProcessExitException>(() => plain.Link(p));
        Assert.Equal("noproc", ex.Reason.ToString());
    }

    [Fact]
    public async Task Aliases_route_until_removed_and_registered_names_are_unique()
    {
        await using var node = await StartAsync();
        using var box = node.CreateMailbox();
        var alias = box.CreateAlias();
        node.SystemProcess.Send(alias, Atom("via_alias"));
        Assert.Equal(Atom("via_alias"), await box.ReceiveAsync(Wait));
        Assert.True(box.RemoveAlias(alias));
        node.SystemProcess.Send(alias, Atom("dropped"));
        node.SystemProcess.Send(box.Pid, Atom("after")); // from the same sender, so it cannot overtake "dropped"
        Assert.Equal(Atom("after"), await box.ReceiveAsync(Wait));

        Assert.True(box.Register("only_one"));
        using var other = node.CreateMailbox();
        Assert.False(other.Register("only_one"));
        Assert.Equal("only_one", box.RegisteredName);
        Assert.True(node.Unregister("only_one"));
        Assert.True(other.Register("only_one"));
    }

    [Fact]
    public async Task Exit_self_normal_and_exit_reason_of_a_body()
    {
        await using var node = await StartAsync();
        using var box = node.CreateMailbox();
        var (p1, m1) = box.SpawnMonitor(async self =>
        {
            self.SendExit(self.Pid, ErlangAtom.Normal); // exit(self(), normal) ends the caller
            await self.ReceiveAsync();
        });
        Assert.Equal("normal", ((ErlangTuple)await box.ReceiveAsync(Wait))[4].ToString());
        var (p2, _) = box.SpawnMonitor(self =>
        {
            Beamwire.Node.LocalProcess.Exit(new ErlangTuple(Atom("shutdown"), Atom("why")));
            return Task.CompletedTask;
        });
        var down = (ErlangTuple)await box.ReceiveAsync(Wait);
        Assert.Equal(p2, down[3]);
        Assert.Equal("{shutdown,why}", down[4].ToString());
        Assert.NotEqual(p1, p2);
        Assert.NotNull(m1);
    }

    [Fact]
    public async Task Spawns_and_exits_are_counted_on_the_beamwire_meter()
    {
        // Measurements are kept by the meter's node tag: other tests' nodes publish on "Beamwire" too.
        var spawned = new System.Collections.Concurrent.ConcurrentBag<string>();
        var exits = new System.Collections.Concurrent.ConcurrentBag<(string Node, string Reason)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == "Beamwire" && i.Name.StartsWith("beamwire.processes.", StringComparison.Ordinal))
                l.EnableMeasurementEvents(i, i.Meter.Tags?.FirstOrDefault(t => t.Key == "node").Value as string ?? "");
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, state) =>
        {
            if (i.Name == "beamwire.processes.spawned") spawned.Add((string)state!);
            if (i.Name == "beamwire.processes.exited") exits.Add(((string)state!, (string)tags[0].Value!));
        });
        listener.Start();
        await using var node = await StartAsync();
        using var box = node.CreateMailbox();
        var (_, watch) = box.SpawnMonitor(_ => throw new InvalidOperationException("x"));
        Assert.Equal(watch, ((ErlangTuple)await box.ReceiveAsync(Wait))[1]); // its DOWN
        Assert.Contains(node.Self.Full, spawned);
        // The monitor's DOWN can arrive before the exit is counted (the count follows the signals).
        Assert.True(await Support.TestNodes.EventuallyAsync(() => exits.Contains((node.Self.Full, "exception"))), "no exception exit counted for " + node.Self.Full);
    }
}
