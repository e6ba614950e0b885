using Beamwire.Terms;
using Xunit;
using static Beamwire.Node.Tests.Processes.LocalNode;

namespace Beamwire.Node.Tests.Processes;

/// <summary>GenServer on one node: call, cast, deferred reply, timeouts, failures, linked stop.</summary>
public class GenServerTests
{
    /// <summary>A counter: {add, N} casts, get calls, {later, X} answers from handle_info, crash stops.</summary>
    internal sealed class Counter : GenServer
    {
        private long _n;
        private GenServerFrom? _waiting;

        public List<string> Log { get; } = [];

        protected override ValueTask<CallResult> HandleCallAsync(ErlangTerm request, GenServerFrom from)
        {
            switch (request)
            {
                case ErlangAtom { Name: "get" }:
                    return new(CallResult.Reply(_n));
                case ErlangAtom { Name: "wait" }:
                    _waiting = from;
                    return new(CallResult.NoReply);
                case ErlangAtom { Name: "slow" }:
                    return new(CallResult.NoReply); // never answered
                case ErlangAtom { Name: "crash" }:
                    throw new InvalidOperationException("asked to crash");
                case ErlangAtom { Name: "stop" }:
                    return new(CallResult.Stop(Atom("asked"), Atom("stopping")));
                default:
                    return new(CallResult.Reply(new ErlangTuple(Atom("echo"), request)));
            }
        }

        protected override ValueTask HandleCastAsync(ErlangTerm request)
        {
            if (request is ErlangTuple { Count: 2 } t && t[1] is ErlangInteger i) _n += i.Value;
            return default;
        }

        protected override ValueTask HandleInfoAsync(ErlangTerm message)
        {
            if (_waiting is not null && Tagged(message, "release"))
            {
                Reply(_waiting, Atom("released"));
                _waiting = null;
            }

            return default;
        }

        protected override ValueTask TerminateAsync(ErlangTerm reason)
        {
            lock (Log) Log.Add($"terminate {reason}");
            return default;
        }
    }

    [Fact]
    public async Task Call_cast_and_deferred_reply()
    {
        await using var node = await StartAsync();
        var pid = await GenServer.StartAsync(node, new Counter(), "counter");
        GenServer.Cast(node, ServerRef.Local("counter"), new ErlangTuple(Atom("add"), 5));
        GenServer.Cast(node, pid, new ErlangTuple(Atom("add"), 2));
        Assert.Equal(7L, ((ErlangInteger)await GenServer.CallAsync(node, ServerRef.Local("counter"), Atom("get"))).Value);
        Assert.Equal("{echo,hi}", (await GenServer.CallAsync(node, pid, Atom("hi"))).ToString());

        // A local call's request is in the server's mailbox once CallAsync returns: the release queues behind it.
        var waiting = GenServer.CallAsync(node, pid, Atom("wait"), TimeSpan.FromSeconds(10));
        node.Send(pid, new ErlangTuple(Atom("release")));
        Assert.Equal(Atom("released"), await waiting);
    }

    [Fact]
    public async Task Call_failures_have_gen_server_reasons()
    {
        await using var node = await StartAsync();
        var counter = new Counter();
        var pid = await GenServer.StartAsync(node, counter);

        var timeout = await Assert.ThrowsAsync<GenServerCallException>(() => GenServer.CallAsync(node, pid, Atom("slow"), TimeSpan.FromMilliseconds(100)));
        Assert.Equal("timeout", timeout.Reason.ToString());
        Assert.StartsWith("{timeout,{gen_server,call,[", timeout.ExitReason.ToString(), StringComparison.Ordinal);

        var noproc = await Assert.ThrowsAsync<GenServerCallException>(() => GenServer.CallAsync(node, ServerRef.Local("nobody"), Atom("x")));
        Assert.Equal("noproc", noproc.Reason.ToString());

        var crash = await Assert.ThrowsAsync<GenServerCallException>(() => GenServer.CallAsync(node, pid, Atom("crash")));
        Assert.Equal("{dotnet_exception,'System.InvalidOperationException',<<\"asked to crash\">>}", crash.Reason.ToString());
        Assert.False(node.IsProcessAlive(pid));
        Assert.Contains(counter.Log, l => l.StartsWith("terminate {dotnet_exception", StringComparison.Ordinal));

        var dead = await Assert.ThrowsAsync<GenServerCallException>(() => GenServer.CallAsync(node, pid, Atom("get")));
        Assert.Equal("noproc", dead.Reason.ToString());

        using var self = node.CreateMailbox("me");
        Assert.Equal("calling_self", (await Assert.ThrowsAsync<GenServerCallException>(() => GenServer.CallAsync(self, ServerRef.Local("me"), Atom("x")))).Reason.ToString());

        var stopper = await GenServer.StartAsync(node, new Counter());
        Assert.Equal(Atom("stopping"), await GenServer.CallAsync(node, stopper, Atom("stop")));
        Assert.True(await Support.TestNodes.EventuallyAsync(() => !node.IsProcessAlive(stopper)));
    }

    [Fact]
    public async Task A_linked_server_trapping_exits_stops_with_its_parent()
    {
        await using var node = await StartAsync();
        using var parent = node.CreateMailbox();
        var counter = new Counter();
        var pid = await GenServer.StartLinkAsync(parent, counter, trapExit: true);
        using var watcher = node.CreateMailbox();
        watcher.Monitor(pid);
        parent.Dispose(); // exits normal... a supervisor exits with shutdown
        Assert.Equal("normal", ((ErlangTuple)await watcher.ReceiveAsync(TimeSpan.FromSeconds(10)))[4].ToString());
        Assert.Contains("terminate normal", counter.Log);

        var failing = new FailingInit();
        var ex = await Assert.ThrowsAsync<GenServerStartException>(() => GenServer.StartAsync(node, failing));
        Assert.Equal("{dotnet_exception,'System.ArgumentException',<<\"bad config\">>}", ex.Reason.ToString());
    }

    private sealed class FailingInit : GenServer
    {
        protected override ValueTask InitAsync() => throw new ArgumentException("bad config");
    }
}
