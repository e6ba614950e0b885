using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Beamwire.Epmd;

namespace Beamwire.Benchmarks.Epmd;

/// <summary>
/// Load driver for scripts/bench-epmd.sh: the same client work against any epmd (Erlang's or ours).
/// <list type="bullet">
/// <item><c>register --port P --names a,b,c --seconds S</c>: registers names and holds them for S seconds.</item>
/// <item><c>rate --port P --request port2|names --name N --clients C --seconds S [--held H]</c>: C threads,
/// each doing connect / request / read to end / close in a loop; prints requests per second. Every
/// reply is checked. With <c>--held</c>, H more clients stay mid-request during the run (<see cref="HeldClients"/>).</item>
/// </list>
/// Blocking sockets on dedicated threads keep the driver's own cost per request low and equal for both daemons.
/// </summary>
internal static class EpmdLoad
{
    public static int Run(string[] args)
    {
        var a = Args.Parse(args);
        return args[0] switch
        {
            "register" => Register(a),
            "rate" => Rate(a),
            _ => throw new ArgumentException("mode: register | rate"),
        };
    }

    private static int Register(Args a)
    {
        var client = new EpmdClient("127.0.0.1", a.Port);
        var regs = a.Names.Select((n, i) => client.RegisterAsync(n, 40000 + i).GetAwaiter().GetResult()).ToList();
        Console.WriteLine($"registered {regs.Count}");
        Thread.Sleep(TimeSpan.FromSeconds(a.Seconds));
        foreach (var r in regs)
            r.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }

    private static int Rate(Args a)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, a.Port);
        var request = RequestBytes(a);
        var expected = ExpectedReply(endpoint, request);
        using var held = HeldClients.Open(endpoint, a.Held, request);
        long ok = 0, bad = 0;
        var measuring = 0;
        using var stop = new CancellationTokenSource();
        var threads = Enumerable.Range(0, a.Clients).Select(_ => new Thread(() =>
        {
            var buffer = new byte[64 * 1024];
            while (!stop.IsCancellationRequested)
            {
                var good = TryRequest(endpoint, request, buffer, expected);
                if (Volatile.Read(ref measuring) == 1)
                {
                    if (good) Interlocked.Increment(ref ok);
                    else Interlocked.Increment(ref bad);
                }
            }
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        Thread.Sleep(TimeSpan.FromSeconds(a.Warmup));
        var sw = Stopwatch.StartNew();
        Volatile.Write(ref measuring, 1);
        Thread.Sleep(TimeSpan.FromSeconds(a.Seconds));
        Volatile.Write(ref measuring, 0);
        var elapsed = sw.Elapsed.TotalSeconds;
        var done = Interlocked.Read(ref ok);
        stop.Cancel();
        threads.ForEach(t => t.Join(TimeSpan.FromSeconds(5)));
        // The held clients finish their requests now: every one must get the right reply.
        var (heldOk, heldFailed) = held.Complete(expected);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rate request={a.Request} clients={a.Clients} held={a.Held} ok={done} errors={Interlocked.Read(ref bad)} seconds={elapsed:0.00} rps={done / elapsed:0} held_ok={heldOk} held_failed={heldFailed}"));
        return bad == 0 && heldFailed == 0 ? 0 : 2;
    }

    private static bool TryRequest(IPEndPoint endpoint, byte[] request, byte[] buffer, byte[] expected)
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            s.Connect(endpoint);
            s.Send(request);
            return ReadAll(s, buffer, out var n) && buffer.AsSpan(0, n).SequenceEqual(expected);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    internal static bool ReadAll(Socket s, byte[] buffer, out int total)
    {
        total = 0;
        int n;
        while ((n = s.Receive(buffer, total, buffer.Length - total, SocketFlags.None)) > 0)
        {
            total += n;
            if (total == buffer.Length) return false;
        }

        return true;
    }

    // The reply the daemon gives now; every later reply must be the same bytes.
    private static byte[] ExpectedReply(IPEndPoint endpoint, byte[] request)
    {
        var buffer = new byte[64 * 1024];
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Connect(endpoint);
        s.Send(request);
        if (!ReadAll(s, buffer, out var n) || n < 2)
            throw new InvalidOperationException("the daemon gave no reply to the benchmark request");
        return buffer[..n];
    }

    private static byte[] RequestBytes(Args a)
    {
        if (a.Request == "names")
            return [0, 1, 110];
        var name = Encoding.UTF8.GetBytes(a.Name);
        return [(byte)((name.Length + 1) >> 8), (byte)(name.Length + 1), 122, .. name];
    }

    private sealed record Args(int Port, string Request, string Name, string[] Names, int Clients, double Seconds, double Warmup, int Held)
    {
        public static Args Parse(string[] args)
        {
            string Get(string key, string fallback)
            {
                var i = Array.IndexOf(args, key);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
            }

            return new Args(
                int.Parse(Get("--port", "4369"), CultureInfo.InvariantCulture),
                Get("--request", "port2"),
                Get("--name", "bench"),
                Get("--names", "bench").Split(',', StringSplitOptions.RemoveEmptyEntries),
                int.Parse(Get("--clients", "16"), CultureInfo.InvariantCulture),
                double.Parse(Get("--seconds", "5"), CultureInfo.InvariantCulture),
                double.Parse(Get("--warmup", "1"), CultureInfo.InvariantCulture),
                int.Parse(Get("--held", "0"), CultureInfo.InvariantCulture));
        }
    }
}
