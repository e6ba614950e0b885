using System.Net;
using Beamwire.Node;

namespace Beamwire.Benchmarks.Dist;

/// <summary><c>dist-peer --name N --epmd PORT --cookie C</c>: a second Beamwire node, in its own process, running the bench services.</summary>
internal static class DistPeer
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name) => args[Array.IndexOf(args, name) + 1];
        await using var node = await BeamNode.StartAsync(new BeamNodeOptions
        {
            Name = Arg("--name"), Cookie = Arg("--cookie"), EpmdPort = int.Parse(Arg("--epmd"), System.Globalization.CultureInfo.InvariantCulture),
            Epmd = EpmdMode.External, ListenAddress = IPAddress.Loopback,
            ReceiveCoalescing = Array.IndexOf(args, "--receive-coalescing") is var c and >= 0 && c + 1 < args.Length
                ? TimeSpan.FromMicroseconds(double.Parse(args[c + 1], System.Globalization.CultureInfo.InvariantCulture))
                : new BeamNodeOptions().ReceiveCoalescing,
        });
        using var services = new DistServices(node, args.Contains("--sync-continuations"));
        Console.WriteLine("ready " + node.Self);
        await services.Stopped.WaitAsync(TimeSpan.FromMinutes(30));
        return 0;
    }
}
