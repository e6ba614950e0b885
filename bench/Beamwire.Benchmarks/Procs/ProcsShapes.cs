using System.Diagnostics;
using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Benchmarks.Procs;

/// <summary>
/// The Beamwire half of the process benchmark: the same shapes as bw_procs_bench.erl, timed the same way
/// (wall clock around the whole shape, after the processes exist where Erlang's do).
/// </summary>
internal static class ProcsShapes
{
    private static readonly ErlangAtom Stop = ErlangAtom.Get("stop");
    private static readonly ErlangAtom Msg = ErlangAtom.Get("msg");
    private static readonly ErlangAtom Ping = ErlangAtom.Get("ping");
    private static readonly ErlangAtom Pong = ErlangAtom.Get("pong");

    private static long Rate(long n, Stopwatch sw) => (long)(n / sw.Elapsed.TotalSeconds);

    /// <summary>Two processes bounce N messages each way: messages per second.</summary>
    public static async Task<long> PingPongAsync(BeamNode node, int n)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pong = node.Spawn(async self =>
        {
            while (true)
            {
                var m = await self.ReceiveAsync();
                if (m is not ErlangTuple t) return;
                self.Send((ErlangPid)t[0], t[1]);
            }
        });
        var sw = Stopwatch.StartNew();
        node.Spawn(async self =>
        {
            for (var i = n; i > 0; i--)
            {
                ErlangTerm k = i;
                self.Send(pong, new ErlangTuple(self.Pid, k));
                await self.ReceiveAsync();
            }

            done.SetResult();
        });
        await done.Task;
        sw.Stop();
        node.Send(pong, Stop);
        return Rate(2L * n, sw);
    }

    /// <summary>S senders, M messages each, one receiver: messages per second.</summary>
    public static async Task<long> FanInAsync(BeamNode node, int senders, int perSender)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var total = senders * perSender;
        var sw = Stopwatch.StartNew();
        var receiver = node.Spawn(async self =>
        {
            for (var i = 0; i < total; i++) await self.ReceiveAsync();
            done.SetResult();
        });
        for (var s = 0; s < senders; s++)
        {
            node.Spawn(self =>
            {
                for (var i = 0; i < perSender; i++) self.Send(receiver, Msg);
                return Task.CompletedTask;
            });
        }

        await done.Task;
        return Rate(total, sw);
    }

    /// <summary>Spawn N processes that exit at once; done when every one has run and exited: processes per second.</summary>
    public static async Task<long> SpawnExitAsync(BeamNode node, int n)
    {
        var ran = 0;
        var baseline = node.ProcessCount;
        Func<BeamProcess, Task> body = _ =>
        {
            Interlocked.Increment(ref ran);
            return Task.CompletedTask;
        };
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++) node.Spawn(body);
        while (Volatile.Read(ref ran) < n || node.ProcessCount > baseline) await Task.Delay(1);
        return Rate(n, sw);
    }

    /// <summary>
    /// N processes idle in a receive: managed bytes each (GC heap after a full collection; the pid list
    /// itself not counted), and the process working set growth per process.
    /// </summary>
    public static async Task<(long Managed, long WorkingSet)> IdleAsync(BeamNode node, int n)
    {
        var pids = new ErlangPid[n];
        var ws0 = Environment.WorkingSet;
        var m0 = GC.GetTotalMemory(forceFullCollection: true);
        var waiting = 0;
        Func<BeamProcess, Task> body = async self =>
        {
            Interlocked.Increment(ref waiting);
            await self.ReceiveAsync();
        };
        for (var i = 0; i < n; i++) pids[i] = node.Spawn(body);
        while (Volatile.Read(ref waiting) < n) await Task.Delay(10);
        var m1 = GC.GetTotalMemory(forceFullCollection: true);
        var ws1 = Environment.WorkingSet;
        var pidsArray = (long)IntPtr.Size * n + 24; // the array of references this method holds
        var baseline = node.ProcessCount - n;
        foreach (var p in pids) node.Send(p, Stop);
        while (node.ProcessCount > baseline) await Task.Delay(10);
        return ((m1 - m0 - pidsArray) / n, (ws1 - ws0) / n);
    }

    /// <summary>N sequential GenServer calls to a local server: calls per second.</summary>
    public static async Task<long> GenCallLocalAsync(BeamNode node, int n)
    {
        var server = await GenServer.StartAsync(node, new PingServer());
        using var caller = node.CreateMailbox();
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++) await GenServer.CallAsync(caller, server, Ping);
        sw.Stop();
        node.Exit(server, ErlangAtom.Kill);
        return Rate(n, sw);
    }

    /// <summary>N sequential GenServer calls to <c>{bw_bench_server, Node}</c>: calls per second.</summary>
    public static async Task<long> GenCallRemoteAsync(BeamNode node, string peer, int n)
    {
        using var caller = node.CreateMailbox();
        var server = ServerRef.Remote("bw_bench_server", peer);
        for (var i = 0; i < 100; i++) await GenServer.CallAsync(caller, server, Ping);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++) await GenServer.CallAsync(caller, server, Ping);
        return Rate(n, sw);
    }

    /// <summary>N sequential rpc calls of <c>bw_procs_bench:echo(x)</c> on <paramref name="peer"/>: calls per second.</summary>
    public static async Task<long> RpcAsync(BeamNode node, string peer, int n)
    {
        var args = new ErlangTerm[] { ErlangAtom.Get("x") };
        for (var i = 0; i < 100; i++) await node.RpcAsync(peer, "bw_procs_bench", "echo", args);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < n; i++) await node.RpcAsync(peer, "bw_procs_bench", "echo", args);
        return Rate(n, sw);
    }

    /// <summary>The server both remote shapes call: answers <c>ping</c> with <c>pong</c>.</summary>
    internal sealed class PingServer : GenServer
    {
        protected override ValueTask<CallResult> HandleCallAsync(ErlangTerm request, GenServerFrom from) => new(CallResult.Reply(Pong));
    }
}
