using Beamwire.Testing.Fuzzing;
using Xunit;

namespace Beamwire.Epmd.Tests.Fuzzing;

/// <summary>Every case in Fuzzing/Corpus/regressions.txt (inputs the fuzzers once failed on) now ends cleanly.</summary>
public class EpmdFuzzRegressionTests
{
    [Fact]
    public void Inputs_that_once_failed_are_refused_cleanly()
    {
        foreach (var entry in FuzzCorpus.Read(FuzzCorpus.PathOf("regressions.txt"), allowEmpty: true))
            Assert.True(EpmdFuzzCases.Run(entry.Release, entry.Bytes) is null, $"{entry.Release} {Convert.ToHexString(entry.Bytes)}: {EpmdFuzzCases.Run(entry.Release, entry.Bytes)}");
    }
}
