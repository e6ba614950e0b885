using System.Buffers;
using System.IO.Compression;
using Beamwire.Terms.Tests.Support;
using Xunit;
using static Beamwire.Terms.Tests.Support.T;

namespace Beamwire.Terms.Tests.Codec;

/// <summary>Malformed and hostile inputs: each is refused with a TermDecodeException that says where and why, cheaply.</summary>
public class DecoderBoundsTests
{
    private static TermDecodeException Refused(byte[] input, TermDecoderOptions? options = null) =>
        Assert.Throws<TermDecodeException>(() => TermDecoder.Decode(input, options));

    private static byte[] B(params int[] bytes) => bytes.Select(b => (byte)b).ToArray();

    [Fact]
    public void Every_truncation_of_a_valid_term_is_refused()
    {
        var term = Tup(A("ok"), new ErlangPid(A("x@y"), 1, 2, 3), L(1, 300, 1L << 40, 1.5), Bin(1, 2, 3),
            Map(KV(A("k"), new ErlangReference(A("x@y"), 1, [1u, 2u, 3u]))), new ErlangList([1], A("t")), new ErlangString("str"),
            new ErlangBitString(new byte[] { 0xE0 }, 3), new ErlangExport(A("m"), A("f"), 1), new ErlangPort(A("x@y"), 1UL << 40, 1));
        var bytes = TermEncoder.ToArray(term);
        for (int n = 0; n < bytes.Length; n++)
        {
            var e = Refused(bytes[..n]);
            Assert.InRange(e.Offset, 0, n);
        }

        Assert.Equal(term, TermDecoder.Decode(bytes));
    }

    [Theory]
    [InlineData(108, "list")]
    [InlineData(105, "tuple")]
    [InlineData(116, "map")]
    [InlineData(109, "BINARY_EXT data")]
    [InlineData(111, "big integer digits")]
    public void A_huge_length_claim_allocates_nothing_and_says_what_is_missing(int tag, string what)
    {
        var input = B(131, tag, 0xFF, 0xFF, 0xFF, 0xF0, 0, 1, 2, 3);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Refused(input);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains(what, e.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16 * 1024, $"allocated {allocated} bytes for a 10-byte input");
    }

    [Fact]
    public void Offsets_point_at_the_bad_byte()
    {
        Assert.Equal(5, Refused(B(131, 104, 2, 97, 1, 200)).Offset);
        Assert.Contains("Unknown term tag 200", Refused(B(131, 104, 2, 97, 1, 200)).Message, StringComparison.Ordinal);
        Assert.Equal(0, Refused(B(130, 97, 1)).Offset);
        Assert.Equal(3, Refused(B(131, 97, 1, 0)).Offset);
        Assert.Contains("1 bytes follow the term", Refused(B(131, 97, 1, 0)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_MaxDepth_is_refused()
    {
        var input = new List<byte> { 131 };
        for (int i = 0; i < 2000; i++) input.AddRange(B(104, 1));
        input.AddRange(B(106));
        Assert.Contains("MaxDepth", Refused(input.ToArray()).Message, StringComparison.Ordinal);
        Assert.IsType<ErlangTuple>(TermDecoder.Decode(input.ToArray(), new TermDecoderOptions { MaxDepth = 2001 }));
    }

    [Fact]
    public void Nesting_that_would_overflow_the_stack_is_refused_even_without_a_depth_limit()
    {
        var input = new byte[1 + 2 * 2_000_000 + 1];
        input[0] = 131;
        for (int i = 0; i < 2_000_000; i++)
        {
            input[1 + 2 * i] = 108;
            input[2 + 2 * i] = 0; // LIST_EXT needs 4 length bytes: use 1-element tuples instead
        }

        for (int i = 0; i < 2_000_000; i++)
        {
            input[1 + 2 * i] = 104;
            input[2 + 2 * i] = 1;
        }

        input[^1] = 106;
        var e = Refused(input, new TermDecoderOptions { MaxDepth = int.MaxValue });
        Assert.Contains("too deeply", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void New_atoms_are_limited_per_decode_and_refused_in_safe_mode()
    {
        string fresh = "fresh_" + Guid.NewGuid().ToString("N");
        var three = TermEncoder.ToArray(L(A(fresh + "1"), A(fresh + "2"), A(fresh + "3")));
        // The encoder above interned them; decode bytes naming atoms nobody has seen instead.
        var unseen = TermEncoder.ToArray(L(A("u1"), A("u2"), A("u3")));
        string u = "unseen_" + Guid.NewGuid().ToString("N")[..20];
        for (int i = 0; i < 3; i++) unseen = Replace(unseen, "u" + (i + 1), u + i);
        Assert.Contains("MaxAtoms", Refused(unseen, new TermDecoderOptions { MaxAtoms = 2 }).Message, StringComparison.Ordinal);
        Assert.Throws<TermDecodeException>(() => TermDecoder.DecodeSafe(unseen));
        Assert.Equal(3, ((ErlangList)TermDecoder.Decode(unseen, new TermDecoderOptions { MaxAtoms = 3 })).Count);
        Assert.Equal(3, ((ErlangList)TermDecoder.DecodeSafe(three)).Count);
        Assert.Equal(3, ((ErlangList)TermDecoder.DecodeSafe(unseen)).Count);
    }

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        // Swap one SMALL_ATOM_UTF8 atom for another.
        var f = System.Text.Encoding.UTF8.GetBytes(from);
        int at = bytes.AsSpan().IndexOf(f);
        var t = System.Text.Encoding.UTF8.GetBytes(to);
        var result = new List<byte>(bytes[..(at - 1)]) { (byte)t.Length };
        result.AddRange(t);
        result.AddRange(bytes[(at + f.Length)..]);
        return result.ToArray();
    }

    [Fact]
    public void Invalid_atoms_are_refused()
    {
        var latin256 = new List<byte> { 131, 100, 1, 0 };
        latin256.AddRange(Enumerable.Repeat((byte)'a', 256));
        Assert.Contains("at most 255", Refused(latin256.ToArray()).Message, StringComparison.Ordinal);
        var utf8Long = new List<byte> { 131, 118, 2, 0 };
        utf8Long.AddRange(Enumerable.Repeat((byte)'a', 512));
        Assert.Contains("Invalid atom", Refused(utf8Long.ToArray()).Message, StringComparison.Ordinal);
        Assert.Contains("Invalid atom", Refused(B(131, 119, 2, 0xC3, 0x28)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_Erlang_cannot_hold_are_refused()
    {
        Assert.Contains("NaN", Refused(B(131, 70, 0x7F, 0xF8, 0, 0, 0, 0, 0, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("NaN", Refused(B(131, 70, 0x7F, 0xF0, 0, 0, 0, 0, 0, 0)).Message, StringComparison.Ordinal);
        var badFloat = new byte[33];
        badFloat[0] = 131;
        badFloat[1] = 99;
        "not a number"u8.CopyTo(badFloat.AsSpan(2));
        Assert.Contains("FLOAT_EXT", Refused(badFloat).Message, StringComparison.Ordinal);
        Assert.Contains("sign", Refused(B(131, 110, 1, 2, 5)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Structural_rules_are_enforced()
    {
        Assert.Contains("same key twice", Refused(B(131, 116, 0, 0, 0, 2, 97, 1, 97, 2, 97, 1, 97, 3)).Message, StringComparison.Ordinal);
        Assert.Contains("bits", Refused(B(131, 77, 0, 0, 0, 1, 0, 255)).Message, StringComparison.Ordinal);
        Assert.Contains("bits", Refused(B(131, 77, 0, 0, 0, 1, 9, 255)).Message, StringComparison.Ordinal);
        Assert.Contains("1..5 id words", Refused(B(131, 90, 0, 6, 119, 1, 97, 0, 0, 0, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("1..5 id words", Refused(B(131, 90, 0, 0, 119, 1, 97, 0, 0, 0, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("atom", Refused(B(131, 88, 97, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("arity", Refused(B(131, 113, 119, 1, 109, 119, 1, 102, 98, 0, 0, 0, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("LOCAL_EXT", Refused(B(131, 121, 1, 2, 3)).Message, StringComparison.Ordinal);
        Assert.Contains("FUN_EXT", Refused(B(131, 117, 0, 0, 0, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("COMPRESSED", Refused(B(131, 104, 1, 80, 0, 0, 0, 1, 0)).Message, StringComparison.Ordinal);
        Assert.Contains("ATOM_CACHE_REF", Refused(B(131, 82, 0)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fun_whose_size_field_lies_is_refused()
    {
        var fun = new byte[] { 131, 112, 0, 0, 0, 53, 1 }.Concat(new byte[16]).Concat(B(0, 0, 0, 0, 0, 0, 0, 0, 119, 1, 109, 97, 0, 97, 0, 88, 119, 1, 110, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1)).ToArray();
        // Size 53 is one more than the fields take (52, the size field included).
        Assert.Contains("NEW_FUN_EXT", Refused(fun.Concat(new byte[] { 0 }).ToArray()).Message, StringComparison.Ordinal);
        fun[5] = 52;
        Assert.IsType<ErlangFun>(TermDecoder.Decode(fun));
    }

    [Fact]
    public void Compressed_terms_are_bounded_by_what_they_really_inflate_to()
    {
        // Claims 2 GiB from a handful of bytes: refused before inflating anything.
        Assert.Contains("MaxTotalSize", Refused(B(131, 80, 0x7F, 0xFF, 0xFF, 0xFF, 0x78, 0x9C, 3, 0)).Message, StringComparison.Ordinal);
        // A zlib bomb: 50 MB of zeros that claims 1000 bytes stops right after 1000.
        var bomb = Deflate(new byte[50_000_000]);
        var input = new byte[] { 131, 80, 0, 0, 3, 232 }.Concat(bomb).ToArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains("more than its declared 1000", Refused(input).Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2_000_000);
        // Honest ones decode; not allowed ones are refused.
        var term = L(Enumerable.Range(0, 1000).Select(i => (ErlangTerm)A("a")).ToArray());
        var compressed = TermEncoder.ToCompressedArray(term);
        Assert.Equal(80, compressed[1]);
        Assert.Equal(term, TermDecoder.Decode(compressed));
        Assert.Contains("AllowCompressed", Refused(compressed, new TermDecoderOptions { AllowCompressed = false }).Message, StringComparison.Ordinal);
        Assert.Contains("zlib", Refused(B(131, 80, 0, 0, 0, 5, 1, 2, 3, 4, 5, 6)).Message, StringComparison.Ordinal);
        // A valid zlib header that asks for a preset dictionary (FDICT): found by the fuzz test (seed 3000212825122418964).
        Assert.Contains("zlib", Refused(B(0x83, 0x50, 0x00, 0xFF, 0x00, 0xFF, 0x08, 0x3C, 0x7B, 0x0D, 0xEA, 0xCB, 0xC3, 0xCC, 0xFF)).Message, StringComparison.Ordinal);
    }

    private static byte[] Deflate(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }

    [Fact]
    public void MaxTotalSize_caps_plain_terms_too()
    {
        var big = TermEncoder.ToArray(new ErlangBinary(new byte[10_000]));
        Assert.Contains("MaxTotalSize", Refused(big, new TermDecoderOptions { MaxTotalSize = 5000 }).Message, StringComparison.Ordinal);
        Assert.IsType<ErlangBinary>(TermDecoder.Decode(big, new TermDecoderOptions { MaxTotalSize = 10_006 }));
    }

    [Fact]
    public void Two_terms_in_one_frame_decode_with_two_calls_and_the_atom_cache()
    {
        // <131 control><131 message>, the control using ATOM_CACHE_REF 0.
        var frame = B(131, 104, 2, 97, 6, 82, 0, 131, 104, 2, 119, 2, 104, 105, 97, 7);
        var cache = new Cache(A("reg"));
        var control = TermDecoder.Decode(frame, out int used, atomCache: cache);
        Assert.Equal(Tup(6, A("reg")), control);
        var message = TermDecoder.Decode(frame.AsSpan(used), out int used2);
        Assert.Equal(Tup(A("hi"), 7), message);
        Assert.Equal(frame.Length, used + used2);
        Assert.Contains("empty", Assert.Throws<TermDecodeException>(() => TermDecoder.Decode(B(131, 82, 1), out _, atomCache: cache)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multi_segment_sequences_decode()
    {
        var bytes = TermEncoder.ToArray(Tup(A("ok"), Bin(new byte[300]), L(1, 2, 3)));
        var first = new Segment(bytes[..7]);
        var last = first.Append(bytes[7..150]).Append(bytes[150..]);
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        Assert.Equal(TermDecoder.Decode(bytes), TermDecoder.Decode(sequence));
    }

    private sealed class Cache(params ErlangAtom[] atoms) : IAtomCacheResolver
    {
        public ErlangAtom Resolve(int index) => index < atoms.Length ? atoms[index] : null!;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data) => Memory = data;

        public Segment Append(byte[] data)
        {
            var next = new Segment(data) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
