using BenchmarkDotNet.Running;

namespace Beamwire.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Side-by-side drivers that scripts/bench-*.sh run against Erlang and Beamwire in one go.
        if (args is ["epmd-load", .. var rest])
            return Epmd.EpmdLoad.Run(rest);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
