using Beamwire.Benchmarks.Support;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Benchmarks.Dist;

/// <summary>
/// <c>dist --erl-beam-dir DIR</c>: the side-by-side distribution benchmark behind scripts/bench-dist.sh.
/// Four nodes, each its own OS process on loopback: this driver's Beamwire node (bw1), a second
/// Beamwire process (bw2), and two erl nodes (e1, e2) running bw_dist_bench.erl. Every shape runs the
/// same messages between each kind of pair in the same run and prints rates and ratios to erl→erl.
/// </summary>
internal sealed class DistBench
{
    private static readonly ErlangAtom Expect = ErlangAtom.Get("expect");
    private static readonly ErlangAtom Oneway = ErlangAtom.Get("oneway");
    private static readonly ErlangAtom Stop = ErlangAtom.Get("stop");
    private readonly BeamNode _node;
    private readonly Mailbox _ctl;
    private readonly int _repeats;
    private readonly Dictionary<string, int> _pids = new();

    private DistBench(BeamNode node, int repeats)
    {
        _node = node;
        _ctl = node.CreateMailbox();
        _repeats = repeats;
    }

    /// <summary>CPU time (user + system) a process has used, from /proc: load on the shared cores does not inflate it.</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private double CpuOf(string a, string b) => CpuSeconds(_pids[a]) + (a == b ? 0 : CpuSeconds(_pids[b]));

    public static async Task<int> RunAsync(string[] args)
    {
        string? Opt(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var beamDir = Opt("--erl-beam-dir") ?? throw new ArgumentException("--erl-beam-dir DIR (where bw_dist_bench.beam is) is required");
        var scale = double.Parse(Opt("--scale") ?? "1", CultureInfo.InvariantCulture);
        var repeats = int.Parse(Opt("--repeats") ?? "3", CultureInfo.InvariantCulture);
        var sync = (Opt("--mailboxes") ?? "default") == "sync";
        var shapes = (Opt("--shapes") ?? "oneway,pingpong,window").Split(',');
        var coalescing = Opt("--receive-coalescing"); // µs, both Beamwire nodes (default: BeamNodeOptions' default)
        var pairFilter = Opt("--pairs")?.Split(','); // bb, be, eb, ee: a subset of pairs, for profiling one
        var cookie = "bench_" + Guid.NewGuid().ToString("N")[..8];
        var epmdPort = BenchHost.FreePort();
        var processes = new List<Process>();
        try
        {
            processes.Add(BenchHost.Start("epmd", ["-port", epmdPort.ToString(CultureInfo.InvariantCulture)], null));
            await Task.Delay(300);
            var env = new Dictionary<string, string> { ["ERL_EPMD_PORT"] = epmdPort.ToString(CultureInfo.InvariantCulture) };
            var suffix = Guid.NewGuid().ToString("N")[..6];
            foreach (var e in new[] { "e1", "e2" })
                processes.Add(BenchHost.Start("erl", ["-sname", $"{e}_{suffix}", "-setcookie", cookie, "-noshell", "-pa", beamDir, "-eval", "bw_dist_bench:start()."], env));
            string[] peerArgs = ["dist-peer", "--name", $"bw2_{suffix}", "--epmd", epmdPort.ToString(CultureInfo.InvariantCulture), "--cookie", cookie];
            if (coalescing is not null) peerArgs = [.. peerArgs, "--receive-coalescing", coalescing];
            processes.Add(BenchHost.Start(Environment.ProcessPath!, sync ? [.. peerArgs, "--sync-continuations"] : peerArgs, null));

            await using var node = await BeamNode.StartAsync(new BeamNodeOptions
            {
                Name = $"bw1_{suffix}", Cookie = cookie, EpmdPort = epmdPort, Epmd = EpmdMode.External, ListenAddress = IPAddress.Loopback,
                ReceiveCoalescing = coalescing is null ? new BeamNodeOptions().ReceiveCoalescing : TimeSpan.FromMicroseconds(double.Parse(coalescing, CultureInfo.InvariantCulture)),
            });
            using var services = new DistServices(node, sync);
            var host = node.Self.Host;
            var bw1 = node.Self.Full;
            var bw2 = $"bw2_{suffix}@{host}";
            var e1 = $"e1_{suffix}@{host}";
            var e2 = $"e2_{suffix}@{host}";
            var bench = new DistBench(node, repeats);
            bench._pids[bw1] = Environment.ProcessId;
            bench._pids[e1] = processes[1].Id;
            bench._pids[e2] = processes[2].Id;
            bench._pids[bw2] = processes[3].Id;
            foreach (var n in new[] { bw2, e1, e2 }) await bench.WaitUpAsync(n);
            Console.WriteLine($"# distribution benchmark: Beamwire {bw1} and {bw2}, Erlang/OTP {BenchHost.ErlRelease()} {e1} and {e2}; " +
                $"{Environment.ProcessorCount} cores, loopback, median of {repeats}; Beamwire mailboxes: {(sync ? "AllowSynchronousContinuations" : "default (continuations on the thread pool)")}; " +
                $"ReceiveCoalescing {node.Options.ReceiveCoalescing.TotalMicroseconds} µs");
            await bench.RunAllAsync(bw1, bw2, e1, e2, scale, shapes, pairFilter);
            foreach (var n in new[] { bw2, e1, e2 }) bench._ctl.Send("bw_bench", n, Stop);
            await Task.Delay(300);
            return 0;
        }
        finally
        {
            BenchHost.StopAll(processes);
        }
    }

    /// <summary>A measurement: the rate or time, and CPU µs per unit of both nodes together and of the receiving node alone.</summary>
    private readonly record struct Result(double Value, double CpuMicros, double ReceiverCpuMicros = double.NaN);

    private async Task RunAllAsync(string bw1, string bw2, string e1, string e2, double scale, string[] shapes, string[]? pairFilter)
    {
        int N(int n) => Math.Max(1000, (int)(n * scale));
        var pairs = new (string Label, string From, string To)[] { ("Beamwire→Beamwire", bw1, bw2), ("Beamwire→erl", bw1, e1), ("erl→Beamwire", e1, bw1), ("erl→erl", e1, e2) };
        if (pairFilter is not null)
        {
            string[] keys = ["bb", "be", "eb", "ee"];
            pairs = pairs.Where((_, i) => pairFilter.Contains(keys[i])).ToArray();
        }


        // Warm-up: JIT and connections, results thrown away.
        foreach (var (_, from, to) in pairs)
        {
            await OneWayAsync(from, to, 20_000, ErlangBinary.Empty);
            await PingPongAsync(from, to, 2_000);
        }

        var small = ErlangBinary.Empty;
        var kib = new ErlangBinary(new byte[1024]);
        foreach (var (title, payload, count) in new[] { ("one-way {msg, <<>>}", small, N(300_000)), ("one-way {msg, <<0:8192>>} (1 KiB)", kib, N(100_000)) })
        {
            if (!shapes.Contains("oneway")) break;
            var rows = new List<(string, Result)>();
            var medians = await MediansAsync(pairs.Select(p => (Func<Task<Result>>)(() => OneWayAsync(p.From, p.To, count, payload))).ToArray());
            for (var i = 0; i < pairs.Length; i++) rows.Add((pairs[i].Label, medians[i]));
            Print(title + $", {count:N0} messages", "msg/s", "CPU µs per message (both nodes; receiver's part)", rows, lowerIsBetter: false);
        }

        var rtts = new List<(string, Result)>();
        if (shapes.Contains("pingpong"))
        {
            var medians = await MediansAsync(pairs.Select(p => (Func<Task<Result>>)(() => PingPongAsync(p.From, p.To, N(10_000)))).ToArray());
            for (var i = 0; i < pairs.Length; i++) rtts.Add((pairs[i].Label, medians[i]));
            Print($"strict ping-pong, {N(10_000):N0} round trips", "µs per round trip", "CPU µs per round trip (both nodes)", rtts, lowerIsBetter: true);
        }

        if (!shapes.Contains("window")) return;

        var windowPairs = new[] { ("Beamwire↔Beamwire", bw1, bw2), ("Beamwire↔erl", bw1, e1), ("erl↔erl", e1, e2) };
        var windowSizes = new[] { 1, 4, 16, 32 };
        if (pairFilter is not null)
        {
            // Profiling one shape: only the windowed pair asked for (bb, be or ee), at one pair.
            string[] keys = ["bb", "be", "ee"];
            var only = windowPairs.Where((_, i) => pairFilter.Contains(keys[i])).ToArray();
            windowSizes = [1];
            var results = await MediansAsync(only.Select(p => (Func<Task<Result>>)(() => WindowAsync(p.Item2, p.Item3, 1, 50, N(100_000)))).ToArray());
            for (var i = 0; i < only.Length; i++)
                Console.WriteLine($"| {only[i].Item1} windowed 1 pair | {F(results[i].Value)} msg/s | CPU {results[i].CpuMicros:0.0} µs/msg |");

            return;
        }

        Console.WriteLine();
        Console.WriteLine($"## windowed ping-pong over one connection: N pairs × 50 in flight, {N(100_000):N0} round trips per run (msg/s counts pings and pongs; CPU µs per message, both nodes)");
        Console.WriteLine("| pairs | " + string.Join(" | ", windowPairs.Select(p => p.Item1)) + " | " + string.Join(" | ", windowPairs.Take(2).Select(p => p.Item1 + " / erl↔erl")) + " | CPU µs/msg " + string.Join(" / ", windowPairs.Select(p => p.Item1)) + " |");
        Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", windowPairs.Length + 3)));
        foreach (var n in windowSizes)
        {
            var perPair = Math.Max(500, N(100_000) / n);
            var r = await MediansAsync(windowPairs.Select(p => (Func<Task<Result>>)(() => WindowAsync(p.Item2, p.Item3, n, 50, perPair))).ToArray());
            Console.WriteLine($"| {n} | {string.Join(" | ", r.Select(x => F(x.Value)))} | {r[0].Value / r[2].Value:0.00}x | {r[1].Value / r[2].Value:0.00}x | " +
                string.Join(" / ", r.Select(x => x.CpuMicros.ToString("0.0", CultureInfo.InvariantCulture))) + " |");
        }
    }

    private static void Print(string title, string unit, string cpuUnit, List<(string Label, Result Value)> rows, bool lowerIsBetter)
    {
        var baseline = rows[^1].Value;
        Console.WriteLine();
        Console.WriteLine($"## {title}");
        Console.WriteLine($"| pair | {unit} | vs erl→erl{(lowerIsBetter ? " (lower is better)" : "")} | {cpuUnit} | CPU vs erl→erl |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (label, v) in rows)
        {
            var value = lowerIsBetter ? v.Value.ToString("0.0", CultureInfo.InvariantCulture) : F(v.Value);
            var cpu = double.IsNaN(v.ReceiverCpuMicros) ? $"{v.CpuMicros:0.00}" : $"{v.CpuMicros:0.00} ({v.ReceiverCpuMicros:0.00})";
            Console.WriteLine($"| {label} | {value} | {v.Value / baseline.Value:0.00}x | {cpu} | {v.CpuMicros / baseline.CpuMicros:0.00}x |");
        }
    }

    private static string F(double v) => v.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs every shape once per repeat, interleaved (a, b, c, a, b, c, ...), and returns each one's median: a
    /// peer's state (an Erlang node's schedulers spinning after a busy run) then weighs on every pair alike.
    /// </summary>
    private async Task<Result[]> MediansAsync(Func<Task<Result>>[] runs)
    {
        var values = runs.Select(_ => new List<Result>()).ToArray();
        for (var rep = 0; rep < _repeats; rep++)
            for (var i = 0; i < runs.Length; i++) values[i].Add(await runs[i]());
        return values.Select(v => v.OrderBy(x => x.Value).ElementAt(v.Count / 2)).ToArray();
    }

    private async Task<ErlangTuple> ExpectAsync(string tag, TimeSpan? timeout = null) =>
        (ErlangTuple)await _ctl.ReceiveAsync(m => m is ErlangTuple t && t[0] is ErlangAtom a && a.Name == tag, timeout ?? TimeSpan.FromSeconds(120));

    /// <summary>Messages per second from the sender's node to the sink on the receiver's node.</summary>
    private async Task<Result> OneWayAsync(string from, string to, int count, ErlangTerm payload)
    {
        _ctl.Send("sink", to, new ErlangTuple(Expect, ErlangInteger.Create(count), _ctl.Pid));
        await _ctl.ReceiveAsync(m => m is ErlangAtom { Name: "sink_ready" }, TimeSpan.FromSeconds(30));
        var cpu0 = CpuOf(from, to);
        var rcv0 = CpuSeconds(_pids[to]);
        var start = Stopwatch.GetTimestamp();
        _ctl.Send("bw_bench", from, new ErlangTuple(Oneway, _ctl.Pid, new ErlangTuple(ErlangAtom.Get("sink"), ErlangAtom.Get(to)), ErlangInteger.Create(count), payload));
        await ExpectAsync("sink_done");
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpu = CpuOf(from, to) - cpu0;
        var rcv = CpuSeconds(_pids[to]) - rcv0;
        await ExpectAsync("sent");
        return new Result(count / seconds, cpu * 1e6 / count, rcv * 1e6 / count);
    }

    private async Task<ErlangPid[]> SpawnEchoesAsync(string on, int n)
    {
        var pids = new ErlangPid[n];
        for (var i = 0; i < n; i++)
        {
            _ctl.Send("bw_bench", on, new ErlangTuple(ErlangAtom.Get("spawn_echo"), _ctl.Pid));
            pids[i] = (ErlangPid)(await ExpectAsync("echo_pid"))[1];
        }

        return pids;
    }

    /// <summary>Microseconds per strict round trip from a pinger on <paramref name="from"/> to an echo on <paramref name="to"/>.</summary>
    private async Task<Result> PingPongAsync(string from, string to, int rounds)
    {
        var echo = (await SpawnEchoesAsync(to, 1))[0];
        var cpu0 = CpuOf(from, to);
        _ctl.Send("bw_bench", from, new ErlangTuple(ErlangAtom.Get("pingpong"), _ctl.Pid, echo, ErlangInteger.Create(rounds)));
        var micros = ((ErlangInteger)(await ExpectAsync("pingpong_done"))[1]).Value;
        var cpu = CpuOf(from, to) - cpu0;
        _ctl.Send(echo, Stop);
        return new Result((double)micros / rounds, cpu * 1e6 / rounds);
    }

    /// <summary>Messages (pings and pongs) per second with <paramref name="pairs"/> pingers each keeping <paramref name="inFlight"/> pings outstanding.</summary>
    private async Task<Result> WindowAsync(string from, string to, int pairs, int inFlight, int perPair)
    {
        var echoes = await SpawnEchoesAsync(to, pairs);
        var cpu0 = CpuOf(from, to);
        _ctl.Send("bw_bench", from, new ErlangTuple(ErlangAtom.Get("window"), _ctl.Pid, new ErlangList(echoes),
            ErlangInteger.Create(inFlight), ErlangInteger.Create(perPair)));
        var micros = ((ErlangInteger)(await ExpectAsync("window_done"))[1]).Value;
        var cpu = CpuOf(from, to) - cpu0;
        foreach (var e in echoes) _ctl.Send(e, Stop);
        var messages = 2.0 * pairs * perPair;
        return new Result(messages / (micros / 1e6), cpu * 1e6 / messages);
    }

    private async Task WaitUpAsync(string node)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await _node.PingAsync(node, TimeSpan.FromSeconds(2)) == PingResult.Pong)
            {
                // Up is not enough: its bench server must be registered (a message to a missing name vanishes).
                _ctl.Send("bw_bench", node, new ErlangTuple(ErlangAtom.Get("spawn_echo"), _ctl.Pid));
                try
                {
                    var echo = (ErlangPid)(await ExpectAsync("echo_pid", TimeSpan.FromSeconds(1)))[1];
                    _ctl.Send(echo, Stop);
                    return;
                }
                catch (TimeoutException)
                {
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{node} did not come up");
    }


}
