using Beamwire.Benchmarks.Support;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Beamwire.Node;
using Beamwire.Terms;

namespace Beamwire.Benchmarks.Procs;

/// <summary>
/// <c>procs --erl-beam-dir DIR [--scale S]</c>: the side-by-side process benchmark behind scripts/bench-procs.sh.
/// Local shapes (ping-pong, fan-in, spawn+exit, idle memory, GenServer.call) run in one erl and in this
/// process; remote shapes (GenServer.call, rpc) run erl→erl between two erl nodes and Beamwire→Beamwire
/// between this process and a <c>procs-peer</c> process, over loopback, with a private epmd. Local shapes
/// run three times on both sides and the best run counts. Prints a table with the ratio of each Beamwire
/// figure to Erlang's.
/// </summary>
internal static class ProcsBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        string? Opt(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var beamDir = Opt("--erl-beam-dir") ?? throw new ArgumentException("--erl-beam-dir DIR (where bw_procs_bench.beam is) is required");
        var scale = double.Parse(Opt("--scale") ?? "1", Inv);
        int N(int n) => Math.Max(1000, (int)(n * scale));
        var (pingpongs, senders, perSender, spawns, idle, calls, remoteCalls) =
            (N(1_000_000), 8, N(250_000), N(1_000_000), N(1_000_000), N(200_000), N(20_000));

        var erl = new Dictionary<string, double>();
        var bw = new Dictionary<string, double>();
        var cookie = "bench_" + Guid.NewGuid().ToString("N")[..8];
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var epmdPort = BenchHost.FreePort();
        var env = new Dictionary<string, string> { ["ERL_EPMD_PORT"] = epmdPort.ToString(Inv) };
        var started = new List<Process>();
        try
        {
            Console.Error.WriteLine("==> Erlang, local shapes");
            var localArgs = string.Join(",", new[] { pingpongs, senders, perSender, spawns, idle, calls }.Select(v => v.ToString(Inv)));
            Parse(await RunToEndAsync("erl", ["+P", "4000000", "-noshell", "-pa", beamDir, "-eval", $"bw_procs_bench:local([{localArgs}])."], null), erl);

            Console.Error.WriteLine("==> Beamwire, local shapes");
            await using (var local = await BeamNode.StartAsync(new BeamNodeOptions
            {
                Name = $"bwl_{suffix}", Cookie = cookie, Epmd = EpmdMode.Disabled, ListenAddress = IPAddress.Loopback, ListenPort = BenchHost.FreePort(), PeerPort = 1,
            }))
            {
                // Each timed shape runs three times and the best run counts (the first runs warm the JIT up;
                // the Erlang side uses the same policy).
                bw["pingpong"] = await BestAsync(() => ProcsShapes.PingPongAsync(local, pingpongs));
                bw["fanin"] = await BestAsync(() => ProcsShapes.FanInAsync(local, senders, perSender));
                bw["spawn_exit"] = await BestAsync(() => ProcsShapes.SpawnExitAsync(local, spawns));
                var (managed, workingSet) = await ProcsShapes.IdleAsync(local, idle);
                bw["idle_bytes"] = managed;
                bw["idle_ws_bytes"] = workingSet;
                bw["gencall_local"] = await BestAsync(() => ProcsShapes.GenCallLocalAsync(local, calls));
            }

            started.Add(BenchHost.Start("epmd", ["-port", epmdPort.ToString(Inv)], null));
            await Task.Delay(300);
            var host = Dns.GetHostName().Split('.')[0];

            Console.Error.WriteLine("==> Erlang, remote shapes (erl -> erl)");
            var server = BenchHost.Start("erl", ["-sname", $"bwbs_{suffix}", "-setcookie", cookie, "-noshell", "-pa", beamDir, "-eval", "bw_procs_bench:serve()."], env, readStdout: true);
            started.Add(server);
            await WaitForLineAsync(server, "ready");
            Parse(await RunToEndAsync("erl", ["-sname", $"bwbc_{suffix}", "-setcookie", cookie, "-noshell", "-pa", beamDir, "-eval",
                $"bw_procs_bench:remote(['bwbs_{suffix}@{host}', {remoteCalls}])."], env), erl);

            Console.Error.WriteLine("==> Beamwire, remote shapes (Beamwire -> Beamwire)");
            var peer = BenchHost.Start(Environment.ProcessPath!, ["procs-peer", "--name", $"bwp_{suffix}", "--epmd", epmdPort.ToString(Inv), "--cookie", cookie], null, readStdout: true);
            started.Add(peer);
            await WaitForLineAsync(peer, "ready");
            await using (var client = await BeamNode.StartAsync(new BeamNodeOptions
            {
                Name = $"bwc_{suffix}", Cookie = cookie, EpmdPort = epmdPort, Epmd = EpmdMode.External, ListenAddress = IPAddress.Loopback,
            }))
            {
                var peerName = $"bwp_{suffix}@{client.Self.Host}";
                bw["gencall_remote"] = await BestAsync(() => ProcsShapes.GenCallRemoteAsync(client, peerName, remoteCalls));
                bw["rpc"] = await BestAsync(() => ProcsShapes.RpcAsync(client, peerName, remoteCalls));
            }

            Report(erl, bw, new { pingpongs, senders, perSender, spawns, idle, calls, remoteCalls });
            return 0;
        }
        finally
        {
            BenchHost.StopAll(started);
        }
    }

    private static async Task<long> BestAsync(Func<Task<long>> shape)
    {
        var best = 0L;
        for (var i = 0; i < 3; i++) best = Math.Max(best, await shape());
        return best;
    }

    private static void Report(Dictionary<string, double> erl, Dictionary<string, double> bw, object sizes)
    {
        Console.WriteLine($"# process benchmark: Erlang/OTP {BenchHost.ErlRelease()} vs Beamwire (.NET {Environment.Version}), {Environment.ProcessorCount} cores; {sizes}");
        Console.WriteLine("| shape | Erlang | Beamwire | Beamwire / Erlang |");
        Console.WriteLine("|---|---|---|---|");
        Row("local ping-pong (msg/s)", "pingpong");
        Row("fan-in, 8 senders → 1 (msg/s)", "fanin");
        Row("spawn + exit (processes/s)", "spawn_exit");
        Row("idle process memory (bytes each; lower is better)", "idle_bytes");
        Console.WriteLine($"| idle process working-set growth (bytes each) | | {bw["idle_ws_bytes"]:N0} | |");
        Row("GenServer.call, local (calls/s)", "gencall_local");
        Row("GenServer.call, remote over loopback (calls/s)", "gencall_remote");
        Row("rpc:call round trip over loopback (calls/s)", "rpc");

        void Row(string label, string key)
        {
            var e = erl.GetValueOrDefault(key);
            var b = bw.GetValueOrDefault(key);
            var ratio = e == 0 ? "?" : (b / e).ToString("0.00", Inv) + "x";
            Console.WriteLine($"| {label} | {e.ToString("N0", Inv)} | {b.ToString("N0", Inv)} | {ratio} |");
        }
    }

    private static void Parse(string output, Dictionary<string, double> into)
    {
        foreach (var line in output.Split('\n'))
        {
            var parts = line.Trim().Split(' ');
            if (parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, Inv, out var v)) into[parts[0]] = v;
        }
    }

    private static async Task<string> RunToEndAsync(string program, IEnumerable<string> args, IDictionary<string, string>? env)
    {
        using var p = BenchHost.Start(program, args, env, readStdout: true);
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return output;
    }

    private static async Task WaitForLineAsync(Process p, string text)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await p.StandardOutput.ReadLineAsync(limit.Token) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal)) return;
        }

        throw new InvalidOperationException($"{p.StartInfo.FileName} ended before printing '{text}'");
    }
}

/// <summary><c>procs-peer --name N --epmd PORT --cookie C</c>: the Beamwire node the remote shapes call.</summary>
internal static class ProcsPeer
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        await using var node = await BeamNode.StartAsync(new BeamNodeOptions
        {
            Name = Arg("--name"), Cookie = Arg("--cookie"), EpmdPort = int.Parse(Arg("--epmd"), CultureInfo.InvariantCulture),
            Epmd = EpmdMode.External, ListenAddress = IPAddress.Loopback,
        });
        await GenServer.StartAsync(node, new ProcsShapes.PingServer(), "bw_bench_server");
        node.Functions.Register("bw_procs_bench", "echo", 1, a => a[0]);
        Console.WriteLine("ready " + node.Self);
        // Runs until the driver closes our stdin (or kills us).
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
