using System.Net;
using Beamwire.Node;

namespace Beamwire.Benchmarks.Procs;

/// <summary><c>procs-quick SHAPE N</c>: one local shape five times in a row (for A/B runs while tuning).</summary>
internal static class ProcsQuick
{
    public static int Run(string shape, int n) => RunAsync(shape, n).GetAwaiter().GetResult();

    private static async Task<int> RunAsync(string shape, int n)
    {
        await using var node = await BeamNode.StartAsync(new BeamNodeOptions
        {
            Name = "quick_" + Guid.NewGuid().ToString("N")[..6], Cookie = "c", Epmd = EpmdMode.Disabled,
            ListenAddress = IPAddress.Loopback, ListenPort = 20000 + Random.Shared.Next(20000), PeerPort = 1,
        });
        for (var i = 0; i < 5; i++)
        {
            var r = shape switch
            {
                "pingpong" => await ProcsShapes.PingPongAsync(node, n),
                "fanin" => await ProcsShapes.FanInAsync(node, 8, n / 8),
                "spawn" => await ProcsShapes.SpawnExitAsync(node, n),
                "gencall" => await ProcsShapes.GenCallLocalAsync(node, n),
                _ => throw new ArgumentException("pingpong | fanin | spawn | gencall"),
            };
            Console.WriteLine($"{shape} {r:N0}");
        }

        return 0;
    }
}
