using Beamwire.Benchmarks.Terms;
using BenchmarkDotNet.Running;

namespace Beamwire.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Side-by-side drivers used by scripts/bench-*.sh; everything else goes to BenchmarkDotNet.
        if (args is ["terms-side-by-side", var dir]) return TermsSideBySide.Run(dir);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
