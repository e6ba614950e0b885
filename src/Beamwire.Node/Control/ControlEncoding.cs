using System.Buffers;
using System.Buffers.Binary;
using Beamwire.Terms;

namespace Beamwire.Node.Control;

/// <summary>
/// Writes the pieces of control tuples (no version byte: the frame writer adds 131 when the
/// pass-through format needs it). Small and hand-rolled for the hot send path; pids and references go
/// through the term encoder.
/// </summary>
internal static class ControlEncoding
{
    public static void TupleHeader(IBufferWriter<byte> w, int arity)
    {
        var s = w.GetSpan(2);
        s[0] = 104; // SMALL_TUPLE_EXT
        s[1] = (byte)arity;
        w.Advance(2);
    }

    public static void SmallInteger(IBufferWriter<byte> w, byte value)
    {
        var s = w.GetSpan(2);
        s[0] = 97; // SMALL_INTEGER_EXT
        s[1] = value;
        w.Advance(2);
    }

    /// <summary>An unsigned integer (UNLINK_ID ids go up to 2^64-1).</summary>
    public static void UnsignedInteger(IBufferWriter<byte> w, ulong value)
    {
        if (value <= 255)
        {
            SmallInteger(w, (byte)value);
            return;
        }

        if (value <= int.MaxValue)
        {
            var s = w.GetSpan(5);
            s[0] = 98; // INTEGER_EXT
            BinaryPrimitives.WriteInt32BigEndian(s[1..], (int)value);
            w.Advance(5);
            return;
        }

        var b = w.GetSpan(11);
        b[0] = 110; // SMALL_BIG_EXT, little-endian magnitude
        b[1] = 8;
        b[2] = 0;
        BinaryPrimitives.WriteUInt64LittleEndian(b[3..], value);
        var n = 8;
        while (n > 1 && b[2 + n] == 0) n--;
        b[1] = (byte)n;
        w.Advance(3 + n);
    }

    /// <summary>The empty atom <c>''</c> (the "Unused" field of SEND and REG_SEND).</summary>
    public static void EmptyAtom(IBufferWriter<byte> w)
    {
        var s = w.GetSpan(2);
        s[0] = 119; // SMALL_ATOM_UTF8_EXT
        s[1] = 0;
        w.Advance(2);
    }

    public static void Atom(IBufferWriter<byte> w, ErlangAtom atom)
    {
        if (w is Connection.OutboundBuffer { Atoms: { } cache } && cache.TryGetReference(atom, out var index))
        {
            var r = w.GetSpan(2);
            r[0] = 82; // ATOM_CACHE_REF
            r[1] = index;
            w.Advance(2);
            return;
        }

        var utf8 = atom.Utf8;
        if (utf8.Length <= 255)
        {
            var s = w.GetSpan(2 + utf8.Length);
            s[0] = 119;
            s[1] = (byte)utf8.Length;
            utf8.CopyTo(s[2..]);
            w.Advance(2 + utf8.Length);
        }
        else
        {
            var s = w.GetSpan(3 + utf8.Length);
            s[0] = 118; // ATOM_UTF8_EXT
            BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)utf8.Length);
            utf8.CopyTo(s[3..]);
            w.Advance(3 + utf8.Length);
        }
    }

    public static void Pid(IBufferWriter<byte> w, ErlangPid pid)
    {
        var s = w.GetSpan(1);
        s[0] = 88; // NEW_PID_EXT
        w.Advance(1);
        Atom(w, pid.Node);
        var tail = w.GetSpan(12);
        BinaryPrimitives.WriteUInt32BigEndian(tail, pid.Id);
        BinaryPrimitives.WriteUInt32BigEndian(tail[4..], pid.Serial);
        BinaryPrimitives.WriteUInt32BigEndian(tail[8..], pid.Creation);
        w.Advance(12);
    }

    public static void Term(IBufferWriter<byte> w, ErlangTerm term) =>
        TermEncoder.EncodeWithoutVersion(w, term, (w as Connection.OutboundBuffer)?.Atoms);
}
