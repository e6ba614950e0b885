using System.Buffers;
using Beamwire.Terms.Tests.Support;
using CsCheck;
using Xunit;

namespace Beamwire.Terms.Tests.Codec;

/// <summary>In-process properties of the codec and the term model over generated terms.</summary>
public class PropertyTests
{
    private static readonly Gen<ErlangTerm> Term = TermGen.Term();

    [Fact]
    public void Encode_then_decode_is_the_identity() =>
        Term.Sample(t =>
        {
            var bytes = TermEncoder.ToArray(t);
            Assert.Equal(bytes.Length, TermEncoder.GetEncodedSize(t));
            var back = TermDecoder.Decode(bytes);
            Assert.Equal(t, back);
            Assert.Equal(t.GetHashCode(), back.GetHashCode());
            Assert.Equal(0, t.CompareTo(back));
            Assert.Equal(bytes, TermEncoder.ToArray(back));
        }, iter: 3000, print: t => t.ToString());

    [Fact]
    public void Buffer_writer_span_and_array_encodings_agree() =>
        Term.Sample(t =>
        {
            var expected = TermEncoder.ToArray(t);
            // A writer handing out tiny spans forces every chunk boundary.
            var chunked = new TinyChunkWriter();
            TermEncoder.Encode(chunked, t);
            Assert.Equal(expected, chunked.ToArray());
            var span = new byte[expected.Length + 3];
            Assert.True(TermEncoder.TryEncode(t, span, out int written));
            Assert.Equal(expected, span.AsSpan(0, written).ToArray());
            Assert.False(TermEncoder.TryEncode(t, new byte[expected.Length - 1], out _));
            var sequence = new ReadOnlySequence<byte>(expected);
            Assert.Equal(t, TermDecoder.Decode(sequence));
        }, iter: 1000, print: t => t.ToString());

    [Fact]
    public void Decoding_from_memory_slices_large_binaries_and_gives_equal_terms()
    {
        var payload = new byte[1000];
        payload.AsSpan().Fill(5);
        var term = new ErlangTuple(ErlangAtom.Ok, new ErlangBinary(payload), ErlangBinary.FromUtf8("tiny"));
        var bytes = TermEncoder.ToArray(term);
        var decoded = (ErlangTuple)TermDecoder.Decode(bytes.AsMemory());
        Assert.Equal(term, decoded);
        // The big binary is a window on our array (no copy), the tiny one is a copy.
        bytes[bytes.Length - 9 - 1000] = 6;
        Assert.Equal(6, ((ErlangBinary)decoded[1]).Bytes.Span[0]);
        var copied = (ErlangTuple)TermDecoder.Decode(TermEncoder.ToArray(term).AsSpan());
        Assert.Equal(5, ((ErlangBinary)copied[1]).Bytes.Span[0]);
    }

    [Fact]
    public void Term_order_is_a_total_order_consistent_with_equality() =>
        Gen.Select(Term, Term, Term).Sample((a, b, c) =>
        {
            int ab = a.CompareTo(b), ba = b.CompareTo(a);
            Assert.Equal(Math.Sign(ab), -Math.Sign(ba));
            Assert.Equal(ab == 0, a.Equals(b));
            if (a.CompareTo(b) <= 0 && b.CompareTo(c) <= 0) Assert.True(a.CompareTo(c) <= 0);
        }, iter: 3000);

    [Fact]
    public void Edge_cases_round_trip()
    {
        foreach (var t in TermGen.EdgeCases())
        {
            var bytes = TermEncoder.ToArray(t);
            Assert.Equal(bytes.Length, TermEncoder.GetEncodedSize(t));
            Assert.Equal(t, TermDecoder.Decode(bytes));
        }
    }

    /// <summary>An IBufferWriter that hands out 7-byte spans unless asked for more.</summary>
    private sealed class TinyChunkWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _written = new();
        private byte[] _current = [];

        public void Advance(int count) => _written.AddRange(_current.AsSpan(0, count));

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 7)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public byte[] ToArray() => _written.ToArray();
    }
}
