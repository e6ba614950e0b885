using Beamwire.Testing.Fuzzing;
using Xunit;

namespace Beamwire.Node.Tests.Fuzzing;

/// <summary>Every case in Fuzzing/Corpus/regressions.txt (inputs the fuzzers once failed on) now ends in a documented refusal or a success.</summary>
public class FuzzRegressionTests
{
    [Fact]
    public void Inputs_that_once_failed_are_refused_cleanly()
    {
        foreach (var entry in FuzzCorpus.Read(FuzzCorpus.PathOf("regressions.txt"), allowEmpty: true))
            Assert.True(NodeFuzzCases.Run(entry.Release, entry.Bytes) is null, $"{entry.Release} {Convert.ToHexString(entry.Bytes)}: {NodeFuzzCases.Run(entry.Release, entry.Bytes)}");
    }

    [Fact]
    public void The_captured_inputs_run_as_cases()
    {
        // The case format is the harness's: a captured handshake with its pick byte, a captured connection's frames.
        foreach (var e in FuzzCorpus.Read(FuzzCorpus.PathOf(CorpusCaptureTests.InitiatorFile)))
            Assert.Null(NodeFuzzCases.Run("handshake-acceptor", [0, .. e.Bytes]));
        foreach (var e in FuzzCorpus.Read(FuzzCorpus.PathOf(CorpusCaptureTests.AcceptorFile)))
            Assert.Null(NodeFuzzCases.Run("handshake-initiator", [0, .. e.Bytes]));
        foreach (var e in FuzzCorpus.Read(FuzzCorpus.PathOf(CorpusCaptureTests.FramesFile)))
            Assert.Null(NodeFuzzCases.Run("dist-frames", e.Bytes));
    }
}
