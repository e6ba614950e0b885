using System.Buffers;
using Beamwire.Terms;
using BenchmarkDotNet.Attributes;

namespace Beamwire.Benchmarks.Terms;

/// <summary>Encode and decode of the corpus. MemoryDiagnoser shows the control tuple encodes without allocating.</summary>
[MemoryDiagnoser]
public class TermsBenchmarks
{
    private readonly ArrayBufferWriter<byte> _writer = new(1 << 20);
    private ErlangTerm _term = null!;
    private byte[] _bytes = null!;

    [ParamsSource(nameof(Names))]
    public string Entry { get; set; } = "";

    public static IEnumerable<string> Names => TermsCorpus.All.Select(e => e.Name);

    [GlobalSetup]
    public void Setup()
    {
        _term = TermsCorpus.All.Single(e => e.Name == Entry).Term;
        _bytes = TermEncoder.ToArray(_term);
        // The first encode of a map sorts its keys once; measure the steady state.
        TermEncoder.Encode(_writer, _term);
    }

    [Benchmark]
    public int Encode()
    {
        // A pooled writer, as a connection's pipe is: reset and reuse.
        _writer.ResetWrittenCount();
        TermEncoder.Encode(_writer, _term);
        return _writer.WrittenCount;
    }

    [Benchmark]
    public ErlangTerm Decode() => TermDecoder.Decode(_bytes.AsSpan());
}
