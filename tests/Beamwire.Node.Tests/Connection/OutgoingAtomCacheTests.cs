using Beamwire.Node.Connection;
using Beamwire.Terms;
using CsCheck;
using Xunit;

namespace Beamwire.Node.Tests.Connection;

/// <summary>
/// The sending half of the atom cache, frame by frame through the receiving half (FrameDecoder): whatever
/// the atoms, every frame decodes to the terms that were encoded, and the cache is really used.
/// </summary>
public class OutgoingAtomCacheTests
{
    // The frame as FrameEncoder writes it, without the 4-byte length the reader strips.
    private static byte[] Frame(FrameEncoder frames, ErlangTerm control, ErlangTerm? payload)
    {
        using var buffer = new OutboundBuffer();
        frames.Write(buffer, control, static (OutboundBuffer b, in ErlangTerm c) => TermEncoder.EncodeWithoutVersion(b, c, b.Atoms), payload);
        return buffer.Written[4..].ToArray();
    }

    private static FrameDecoder Decoder() => new(TermDecoderOptions.Default, 64 << 20, 4);

    [Fact]
    public void Repeated_atoms_become_two_byte_references_after_the_first_frame()
    {
        using var cache = new FrameEncoder(distributionHeader: true);
        var d = Decoder();
        var pid = new ErlangPid(ErlangAtom.Get("bw_cache@somehost"), 7, 0, 3);
        var msg = new ErlangTuple(ErlangAtom.Get("ping"), pid, ErlangInteger.Create(1));
        var first = Frame(cache, pid, msg);
        var second = Frame(cache, pid, msg);
        Assert.True(second.Length < first.Length - 20, $"second frame {second.Length} bytes, first {first.Length}");
        Assert.True(d.TryDecode(first, out var c1, out var p1));
        Assert.True(d.TryDecode(second, out var c2, out var p2));
        Assert.Equal(pid, c1);
        Assert.Equal(msg, p1);
        Assert.Equal(pid, c2);
        Assert.Equal(msg, p2);
        Assert.Equal(2, d.AtomCacheEntries); // the node name and 'ping', sent once each
    }

    [Fact]
    public void A_fun_keeps_its_declared_size_its_atoms_are_never_cache_references()
    {
        using var cache = new FrameEncoder(distributionHeader: true);
        var creator = new ErlangPid(ErlangAtom.Get("bw_fun@host"), 9, 0, 1);
        // NEW_FUN_EXT: 112, Size (itself included), Arity, Uniq, Index, NumFree, Module, OldIndex, OldUniq, Pid, FreeVars.
        static byte[] Enc(ErlangTerm t) => TermEncoder.ToArray(t)[1..];
        byte[] body = [1, .. new byte[16], 0, 0, 0, 3, 0, 0, 0, 2, .. Enc(ErlangAtom.Get("erl_eval")), .. Enc(ErlangInteger.Create(7)),
            .. Enc(ErlangInteger.Create(8)), .. Enc(creator), .. Enc(ErlangAtom.Get("free_atom")), .. Enc(creator)];
        var size = 4 + body.Length;
        var fun = (ErlangFun)TermDecoder.Decode([131, 112, (byte)(size >> 24), (byte)(size >> 16), (byte)(size >> 8), (byte)size, .. body]);
        var msg = new ErlangTuple(creator, ErlangAtom.Get("erl_eval"), fun); // the same atoms outside the fun are cached
        var d = Decoder();
        for (var i = 0; i < 2; i++)
        {
            Assert.True(d.TryDecode(Frame(cache, ErlangAtom.Get("ctl"), msg), out _, out var p));
            Assert.Equal(msg, p);
        }
    }

    [Fact]
    public void More_than_255_atoms_in_one_message_fall_back_to_full_atoms()
    {
        using var cache = new FrameEncoder(distributionHeader: true);
        var atoms = new ErlangList(Enumerable.Range(0, 700).Select(i => (ErlangTerm)ErlangAtom.Get($"many_{i}")).ToArray());
        var d = Decoder();
        Assert.True(d.TryDecode(Frame(cache, ErlangAtom.Get("ctl"), atoms), out _, out var p));
        Assert.Equal(atoms, p);
        Assert.True(d.TryDecode(Frame(cache, ErlangAtom.Get("ctl"), atoms), out _, out p));
        Assert.Equal(atoms, p);
    }

    [Fact]
    public void Atoms_longer_than_255_bytes_switch_the_header_to_long_atoms()
    {
        using var cache = new FrameEncoder(distributionHeader: true);
        var longAtom = ErlangAtom.Get(new string('π', 200)); // 400 UTF-8 bytes
        var d = Decoder();
        var msg = new ErlangTuple(longAtom, ErlangAtom.Get("short"), longAtom);
        Assert.True(d.TryDecode(Frame(cache, ErlangAtom.Get("ctl"), msg), out var c, out var p));
        Assert.Equal(ErlangAtom.Get("ctl"), c);
        Assert.Equal(msg, p);
    }

    [Fact]
    public void A_failed_encoding_rolls_the_slots_back()
    {
        using var cache = new FrameEncoder(distributionHeader: true);
        var d = Decoder();
        var a = ErlangAtom.Get("rollback_a");
        Assert.True(d.TryDecode(Frame(cache, a, null), out _, out _));

        // A frame whose encoding fails after it took slots: the peer never sees it, so the cache must forget it.
        using (var buffer = new OutboundBuffer())
        {
            Assert.Throws<InvalidOperationException>(() => cache.Write(buffer, new ErlangTuple(ErlangAtom.Get("never_sent"), a),
                static (OutboundBuffer b, in ErlangTuple c) =>
                {
                    TermEncoder.EncodeWithoutVersion(b, c, b.Atoms);
                    throw new InvalidOperationException("encoding failed");
                }, null));
            Assert.Equal(0, buffer.Length);
        }

        Assert.True(d.TryDecode(Frame(cache, new ErlangTuple(ErlangAtom.Get("never_sent"), a), null), out var c, out _));
        Assert.Equal(new ErlangTuple(ErlangAtom.Get("never_sent"), a), c);
    }

    [Fact]
    public void Any_sequence_of_messages_decodes_to_what_was_sent()
    {
        // Random atoms from a pool larger than the cache, so slots are taken over again and again.
        var atom = Gen.Int[0, 5000].Select(i => (ErlangTerm)ErlangAtom.Get($"a{i}"));
        var term = Gen.Recursive<ErlangTerm>((depth, inner) => depth >= 3
            ? atom
            : Gen.OneOf(atom, inner.Array[0, 12].Select(xs => (ErlangTerm)new ErlangTuple(xs)), inner.Array[0, 12].Select(xs => (ErlangTerm)new ErlangList(xs))));
        term.Array[1, 40].Sample(messages =>
        {
            using var cache = new FrameEncoder(distributionHeader: true);
            var d = Decoder();
            foreach (var m in messages)
            {
                if (!d.TryDecode(Frame(cache, ErlangAtom.Get("ctl"), m), out var c, out var p)) return false;
                if (!c.Equals(ErlangAtom.Get("ctl")) || !m.Equals(p)) return false;
            }

            return true;
        }, iter: 300);
    }
}
