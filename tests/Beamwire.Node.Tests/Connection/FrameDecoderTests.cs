using Beamwire.Node.Connection;
using Beamwire.Terms;
using Xunit;

namespace Beamwire.Node.Tests.Connection;

public class FrameDecoderTests
{
    private static FrameDecoder NewDecoder(int maxMessage = 1 << 20) => new(TermDecoderOptions.Default, maxMessage, 4);

    private static byte[] Cat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static readonly byte[] RegSendCtl = TermEncoder.ToArray(new ErlangTuple(ErlangInteger.Create(6),
        new ErlangPid(ErlangAtom.Get("a@h"), 1, 0, 3), ErlangAtom.Get(""), ErlangAtom.Get("reg")));

    [Fact]
    public void Pass_through_frames_carry_two_versioned_terms()
    {
        var msg = TermEncoder.ToArray(ErlangAtom.Get("hi"));
        Assert.True(NewDecoder().TryDecode(Cat([112], RegSendCtl, msg), out var ctl, out var payload));
        Assert.Equal(ErlangInteger.Create(6), ((ErlangTuple)ctl)[0]);
        Assert.Equal(ErlangAtom.Get("hi"), payload);
    }

    [Fact]
    public void Atom_cache_entries_are_created_then_reused_across_frames()
    {
        var d = NewDecoder();
        // 2 refs, both new: flags byte 0 = (new|seg 1) for ref 0 and (new|seg 2) for ref 1 -> 0xA9; byte 1 = long-atoms nibble 0.
        var header1 = Cat([131, 68, 2, 0xA9, 0x00], [5, 3], "foo"u8.ToArray(), [7, 3], "bar"u8.ToArray());
        var body = Cat([104, 2, 82, 0, 82, 1]); // {ATOM_CACHE_REF 0, ATOM_CACHE_REF 1}, no version byte
        Assert.True(d.TryDecode(Cat(header1, body), out var ctl, out var payload));
        Assert.Equal(new ErlangTuple(ErlangAtom.Get("foo"), ErlangAtom.Get("bar")), ctl);
        Assert.Null(payload);
        Assert.Equal(2, d.AtomCacheEntries);

        // Next frame: the same slots as cached references (no new flag), in the other order.
        var header2 = Cat([131, 68, 2, 0x12, 0x00], [7, 5]);
        Assert.True(d.TryDecode(Cat(header2, body, [100, 0, 1, (byte)'z']), out ctl, out payload));
        Assert.Equal(new ErlangTuple(ErlangAtom.Get("bar"), ErlangAtom.Get("foo")), ctl);
        Assert.Equal(ErlangAtom.Get("z"), payload);
    }

    [Fact]
    public void Long_atoms_flag_switches_to_two_byte_lengths()
    {
        var name = new string('q', 300 / 2); // 150 chars: still fits, but sent with the 2-byte length
        var text = System.Text.Encoding.UTF8.GetBytes(name);
        // 1 ref: flags byte = (new|seg 0) in the low nibble, LongAtoms=1 in the high nibble.
        var header = Cat([131, 68, 1, 0x18], [0, 0, (byte)text.Length], text);
        Assert.True(NewDecoder().TryDecode(Cat(header, [82, 0]), out var ctl, out _));
        Assert.Equal(ErlangAtom.Get(name), ctl);
    }

    [Fact]
    public void Reference_to_an_unfilled_cache_slot_is_a_protocol_error()
    {
        var header = Cat([131, 68, 1, 0x03], [9]);
        Assert.Throws<DistributionProtocolException>(() => NewDecoder().TryDecode(Cat(header, [82, 0]), out _, out _));
    }

    [Fact]
    public void Fragments_are_reassembled_in_order_and_interleaved_sequences_kept_apart()
    {
        var d = NewDecoder();
        var ctl = RegSendCtl[1..]; // no version byte after a header
        var msgA = TermEncoder.ToArray(new ErlangBinary(Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray()))[1..];
        var msgB = TermEncoder.ToArray(new ErlangString("second sequence"))[1..];
        byte[] Seq(ulong s) => BitConverter.GetBytes(s).Reverse().ToArray();
        var bodyA = Cat(ctl, msgA);
        var bodyB = Cat(ctl, msgB);

        Assert.False(d.TryDecode(Cat([131, 69], Seq(7), Seq(3), [0], bodyA[..1000]), out _, out _));
        Assert.False(d.TryDecode(Cat([131, 69], Seq(9), Seq(2), [0], bodyB[..10]), out _, out _));
        Assert.False(d.TryDecode(Cat([131, 70], Seq(7), Seq(2), bodyA[1000..2000]), out _, out _));
        Assert.Equal(2, d.OpenFragmentSequences);
        Assert.True(d.TryDecode(Cat([131, 70], Seq(9), Seq(1), bodyB[10..]), out _, out var payloadB));
        Assert.Equal(new ErlangString("second sequence"), payloadB);
        Assert.True(d.TryDecode(Cat([131, 70], Seq(7), Seq(1), bodyA[2000..]), out _, out var payloadA));
        Assert.Equal(3000, ((ErlangBinary)payloadA!).Length);
        Assert.Equal(0, d.OpenFragmentSequences);
        Assert.Equal(2, d.ReassembledMessages);
    }

    [Fact]
    public void Fragment_out_of_order_or_too_big_is_refused()
    {
        byte[] Seq(ulong s) => BitConverter.GetBytes(s).Reverse().ToArray();
        var d = NewDecoder();
        d.TryDecode(Cat([131, 69], Seq(1), Seq(3), [0], [104]), out _, out _);
        Assert.Throws<DistributionProtocolException>(() => d.TryDecode(Cat([131, 70], Seq(1), Seq(1), [0]), out _, out _));
        Assert.Throws<DistributionProtocolException>(() => d.TryDecode(Cat([131, 70], Seq(99), Seq(1), [0]), out _, out _));

        var small = NewDecoder(maxMessage: 2048);
        small.TryDecode(Cat([131, 69], Seq(2), Seq(3), [0], new byte[1500]), out _, out _);
        Assert.Throws<DistributionProtocolException>(() => small.TryDecode(Cat([131, 70], Seq(2), Seq(2), new byte[1500]), out _, out _));
    }

    [Theory]
    [InlineData(new byte[] { 1 })]
    [InlineData(new byte[] { 99, 131, 97, 1 })]
    [InlineData(new byte[] { 131, 99, 0 })]
    [InlineData(new byte[] { 131, 68, 3, 0x88 })]
    [InlineData(new byte[] { 131, 69, 0, 0 })]
    [InlineData(new byte[] { 112, 131, 104, 5, 97 })]
    public void Malformed_frames_throw_protocol_errors(byte[] frame) =>
        Assert.Throws<DistributionProtocolException>(() => NewDecoder().TryDecode(frame, out _, out _));
}

public class FrameDecoderFuzzTests
{
    [Fact]
    public void Random_frames_only_ever_fail_with_protocol_errors()
    {
        var rng = new Random(12345);
        var decoder = new FrameDecoder(TermDecoderOptions.Default, 1 << 16, 8);
        byte[][] prefixes = [[112, 131], [131, 68], [131, 69], [131, 70], [131, 68, 1, 0x08, 0, 3]];
        var failures = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var prefix = prefixes[rng.Next(prefixes.Length)];
            var frame = new byte[prefix.Length + rng.Next(0, 64)];
            prefix.CopyTo(frame, 0);
            rng.NextBytes(frame.AsSpan(prefix.Length));
            try
            {
                if (decoder.TryDecode(frame, out var control, out _)) Beamwire.Node.Control.ControlDecoder.Decode(control, null);
            }
            catch (DistributionProtocolException)
            {
                failures++;
            }
        }

        Assert.True(failures > 15_000, $"only {failures} of 20000 random frames were refused");
        Assert.InRange(decoder.OpenFragmentSequences, 0, 8);
    }
}

public class FragmentLimitTests
{
    [Fact]
    public void All_open_sequences_together_are_bounded()
    {
        byte[] Seq(ulong s) => BitConverter.GetBytes(s).Reverse().ToArray();
        var d = new FrameDecoder(TermDecoderOptions.Default, 4096, 64);
        var chunk = new byte[3000];
        for (ulong s = 1; s <= 2; s++)
            d.TryDecode([131, 69, .. Seq(s), .. Seq(5), 0, .. chunk], out _, out _);
        var ex = Assert.Throws<DistributionProtocolException>(() => d.TryDecode([131, 69, .. Seq(3), .. Seq(5), 0, .. chunk], out _, out _));
        Assert.Contains("twice MaxMessageSize", ex.Message, StringComparison.Ordinal);
    }
}

public class FragmentBufferTests
{
    [Fact]
    public void A_first_fragment_reserves_memory_for_the_bytes_it_brought_not_64_KiB()
    {
        // 1,024 open sequences (a node's limit) of 16-byte first fragments: 16 KiB from the peer. A buffer of
        // 64 KiB per sequence made that 64 MiB.
        byte[] Seq(ulong s) => BitConverter.GetBytes(s).Reverse().ToArray();
        using var d = new FrameDecoder(TermDecoderOptions.Default, 256 * 1024 * 1024, 1024);
        var body = new byte[16];
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (ulong s = 1; s <= 1024; s++)
            Assert.False(d.TryDecode([131, 69, .. Seq(s), .. Seq(3), 0, .. body], out _, out _));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1024, d.OpenFragmentSequences);
        Assert.True(allocated < 4 * 1024 * 1024, $"{allocated:N0} bytes allocated for 1,024 fragments of 16 bytes");
    }

    [Fact]
    public void A_sequence_started_small_still_reassembles_a_large_message()
    {
        byte[] Seq(ulong s) => BitConverter.GetBytes(s).Reverse().ToArray();
        using var d = new FrameDecoder(TermDecoderOptions.Default, 1 << 20, 4);
        var message = TermEncoder.ToArray(new ErlangBinary(Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray()));
        var control = TermEncoder.ToArray(new ErlangTuple(ErlangInteger.Create(6), new ErlangPid(ErlangAtom.Get("a@h"), 1, 0, 3), ErlangAtom.Get(""), ErlangAtom.Get("reg")));
        // First fragment: the control message and 10 bytes; the rest in two continuations.
        var body = control[1..].Concat(message[1..]).ToArray();
        Assert.False(d.TryDecode([131, 69, .. Seq(9), .. Seq(3), 0, .. body[..(control.Length - 1 + 10)]], out _, out _));
        var rest = body[(control.Length - 1 + 10)..];
        Assert.False(d.TryDecode([131, 70, .. Seq(9), .. Seq(2), .. rest[..1000]], out _, out _));
        Assert.True(d.TryDecode([131, 70, .. Seq(9), .. Seq(1), .. rest[1000..]], out var ctl, out var payload));
        Assert.Equal(6, ((ErlangInteger)((ErlangTuple)ctl)[0]).Value);
        Assert.Equal(200_000, ((ErlangBinary)payload!).Bytes.Length);
    }
}
