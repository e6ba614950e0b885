using System.Collections.Concurrent;
using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Xunit;
using static Beamwire.Node.Tests.Processes.LocalNode;

namespace Beamwire.Node.Tests.Processes;

/// <summary>Supervisor strategies, restart types, intensity, ordered shutdown with timeouts, dynamic children.</summary>
public class SupervisorTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>Workers that record starts and stops; 'crash' makes one exit with {crashed, Id}, 'quit' exits normal.</summary>
    private sealed class Journal
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public ChildSpec Worker(string id, RestartType restart = RestartType.Permanent, bool stubborn = false, TimeSpan? shutdown = null) =>
            ChildSpec.Create(id, sup =>
            {
                Events.Enqueue("start " + id);
                return Task.FromResult(sup.SpawnLink(async self =>
                {
                    while (true)
                    {
                        var m = await self.ReceiveAsync();
                        if (m.Equals(Atom("crash"))) LocalProcess.Exit(new ErlangTuple(Atom("crashed"), Atom(id)));
                        if (m.Equals(Atom("quit"))) return;
                        if (Tagged(m, "EXIT") && !stubborn)
                        {
                            Events.Enqueue("stop " + id);
                            LocalProcess.Exit(((ErlangTuple)m)[2]);
                        }
                    }
                }, new SpawnOptions { TrapExit = stubborn || shutdown is not null }));
            }) with { Restart = restart, Shutdown = shutdown };

        public string Text => string.Join(", ", Events);
    }

    private static async Task<(Supervisor Sup, ErlangPid Pid)> StartSupAsync(BeamNode node, SupervisorOptions options, params ChildSpec[] children)
    {
        var sup = new Supervisor(options, children);
        return (sup, await GenServer.StartAsync(node, sup));
    }

    private static async Task<ErlangPid?> PidOf(Supervisor sup, string id) => (await sup.WhichChildrenAsync()).Single(c => c.Id == id).Pid;

    private static async Task<ErlangPid> Crash(BeamNode node, Supervisor sup, string id)
    {
        var pid = (await PidOf(sup, id))!;
        node.Send(pid, Atom("crash"));
        Assert.True(await TestNodes.EventuallyAsync(() => !node.IsProcessAlive(pid)));
        Assert.True(await TestNodes.EventuallyAsync(() => PidOf(sup, id).Result is { } p && !p.Equals(pid)));
        return pid;
    }

    [Fact]
    public async Task One_for_one_restarts_only_the_failed_child()
    {
        await using var node = await StartAsync();
        var j = new Journal();
        var (sup, _) = await StartSupAsync(node, new SupervisorOptions { MaxRestarts = 5 }, j.Worker("a"), j.Worker("b"));
        var b = await PidOf(sup, "b");
        await Crash(node, sup, "a");
        Assert.Equal(b, await PidOf(sup, "b"));
        Assert.Equal("start a, start b, start a", j.Text);
    }

    [Fact]
    public async Task One_for_all_and_rest_for_one_restart_in_start_order()
    {
        await using var node = await StartAsync();
        var j = new Journal();
        var (all, _) = await StartSupAsync(node, new SupervisorOptions { Strategy = SupervisorStrategy.OneForAll, MaxRestarts = 5 },
            j.Worker("a", shutdown: TimeSpan.FromSeconds(5)), j.Worker("b", shutdown: TimeSpan.FromSeconds(5)));
        var oldB = await PidOf(all, "b");
        await Crash(node, all, "a");
        Assert.True(await TestNodes.EventuallyAsync(() => !node.IsProcessAlive(oldB!)));
        Assert.Equal("start a, start b, stop b, start a, start b", j.Text);

        var k = new Journal();
        var (rest, _) = await StartSupAsync(node, new SupervisorOptions { Strategy = SupervisorStrategy.RestForOne, MaxRestarts = 5 },
            k.Worker("x", shutdown: TimeSpan.FromSeconds(5)), k.Worker("y", shutdown: TimeSpan.FromSeconds(5)), k.Worker("z", shutdown: TimeSpan.FromSeconds(5)));
        var x = await PidOf(rest, "x");
        await Crash(node, rest, "y");
        Assert.Equal(x, await PidOf(rest, "x"));
        Assert.Equal("start x, start y, start z, stop z, start y, start z", k.Text);
    }

    [Fact]
    public async Task Transient_and_temporary_children_and_the_restart_intensity()
    {
        await using var node = await StartAsync();
        var j = new Journal();
        var (sup, supPid) = await StartSupAsync(node, new SupervisorOptions { MaxRestarts = 2, Period = TimeSpan.FromSeconds(30) },
            j.Worker("perm"), j.Worker("trans", RestartType.Transient), j.Worker("temp", RestartType.Temporary));
        node.Send((await PidOf(sup, "trans"))!, Atom("quit")); // normal exit: not restarted
        node.Send((await PidOf(sup, "temp"))!, Atom("crash")); // never restarted, and forgotten
        Assert.True(await TestNodes.EventuallyAsync(() => sup.WhichChildrenAsync().Result.Count == 2 && PidOf(sup, "trans").Result is null));
        await Crash(node, sup, "perm");
        await Crash(node, sup, "perm");

        // A third restart within the period is one too many: every child stops, the supervisor exits shutdown.
        using var watcher = node.CreateMailbox();
        var mref = watcher.Monitor(supPid);
        node.Send((await PidOf(sup, "perm"))!, Atom("crash"));
        var down = (ErlangTuple)await watcher.ReceiveAsync(m => Tagged(m, "DOWN"), Wait);
        Assert.Equal(mref, down[1]);
        Assert.Equal("shutdown", down[4].ToString());
        await Assert.ThrowsAsync<ProcessExitException>(() => sup.WhichChildrenAsync());
    }

    [Fact]
    public async Task Shutdown_is_ordered_and_kills_a_child_that_outlives_its_timeout()
    {
        await using var node = await StartAsync();
        var j = new Journal();
        var (sup, supPid) = await StartSupAsync(node, new SupervisorOptions(),
            j.Worker("first", shutdown: TimeSpan.FromSeconds(5)),
            j.Worker("stubborn", stubborn: true, shutdown: TimeSpan.FromMilliseconds(200)),
            j.Worker("last", shutdown: TimeSpan.FromSeconds(5)));
        var stubborn = (await PidOf(sup, "stubborn"))!;
        using var watcher = node.CreateMailbox();
        var mref = watcher.Monitor(stubborn);
        await sup.StopAsync();
        Assert.Equal("killed", ((ErlangTuple)await watcher.ReceiveAsync(m => Tagged(m, "DOWN"), Wait))[4].ToString());
        Assert.True(await TestNodes.EventuallyAsync(() => !node.IsProcessAlive(supPid)));
        Assert.Equal("start first, start stubborn, start last, stop last, stop first", j.Text);
        Assert.NotNull(mref);
    }

    [Fact]
    public async Task Simple_one_for_one_starts_restarts_and_terminates_dynamic_children()
    {
        await using var node = await StartAsync();
        var started = new ConcurrentQueue<string>();
        var template = new ChildSpec("worker", (sup, arg) =>
        {
            started.Enqueue(arg.ToString());
            return Task.FromResult(sup.SpawnLink(async self => LocalProcess.Exit(await self.ReceiveAsync())));
        });
        var (sup, _) = await StartSupAsync(node, new SupervisorOptions { Strategy = SupervisorStrategy.SimpleOneForOne, MaxRestarts = 5 }, template);
        var one = await sup.StartChildAsync(Atom("one"));
        var two = await sup.StartChildAsync(Atom("two"));
        node.Send(one, Atom("boom"));
        Assert.True(await TestNodes.EventuallyAsync(() => started.Count == 3));
        Assert.Equal("one, two, one", string.Join(", ", started));
        Assert.True(await sup.TerminateChildAsync(two));
        Assert.False(node.IsProcessAlive(two));
        Assert.Single(await sup.WhichChildrenAsync());

        // A failing start makes start_child fail with the reason.
        var bad = new Supervisor(new SupervisorOptions(), [ChildSpec.Create("bad", _ => throw new InvalidOperationException("cannot"))]);
        var ex = await Assert.ThrowsAsync<GenServerStartException>(() => GenServer.StartAsync(node, bad));
        Assert.Equal("{shutdown,{failed_to_start_child,bad,{dotnet_exception,'System.InvalidOperationException',<<\"cannot\">>}}}", ex.Reason.ToString());
    }
}
