using Beamwire.Benchmarks.Terms;
using BenchmarkDotNet.Running;

namespace Beamwire.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Side-by-side drivers that scripts/bench-*.sh run against Erlang and Beamwire in one go.
        if (args is ["epmd-load", .. var rest])
            return Epmd.EpmdLoad.Run(rest);
        if (args is ["dist", .. var distArgs])
            return Dist.DistBench.RunAsync(distArgs).GetAwaiter().GetResult();
        if (args is ["dist-peer", .. var peerArgs])
            return Dist.DistPeer.RunAsync(peerArgs).GetAwaiter().GetResult();
        if (args is ["terms-side-by-side", var dir]) return TermsSideBySide.Run(dir);
        if (args is ["procs", .. var procsArgs])
            return Procs.ProcsBench.RunAsync(procsArgs).GetAwaiter().GetResult();
        if (args is ["procs-quick", var shape, var count])
            return Procs.ProcsQuick.Run(shape, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
        if (args is ["procs-peer", .. var procsPeerArgs])
            return Procs.ProcsPeer.RunAsync(procsPeerArgs).GetAwaiter().GetResult();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
