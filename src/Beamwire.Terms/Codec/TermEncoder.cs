using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using Beamwire.Terms.Codec;

namespace Beamwire.Terms;

/// <summary>
/// Encodes terms in the External Term Format exactly as current OTP's <c>term_to_binary</c> does
/// (OTP 26+, and OTP 25 with <c>[{minor_version, 2}]</c> or over distribution): UTF-8 atom tags, the
/// smallest integer form, STRING_EXT for short byte lists, NEW_PID / NEW_PORT (V4_PORT for ids over
/// 28 bits) / NEWER_REFERENCE, NEW_FLOAT, and map keys in Erlang's map-key order. Writing into an
/// <see cref="IBufferWriter{T}"/> allocates nothing.
/// </summary>
public static class TermEncoder
{
    /// <summary>Writes the version byte 131 and the term.</summary>
    public static void Encode(IBufferWriter<byte> writer, ErlangTerm term)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(term);
        var w = new TermWriter(writer);
        w.WriteByte(ExternalTag.Version);
        Write(ref w, term);
        w.Flush();
    }

    /// <summary>Writes the term without the version byte (e.g. inside another term's bytes).</summary>
    public static void EncodeWithoutVersion(IBufferWriter<byte> writer, ErlangTerm term) => EncodeWithoutVersion(writer, term, null);

    /// <summary>
    /// Writes the term without the version byte, atoms as ATOM_CACHE_REF where <paramref name="atoms"/> gives them
    /// an index (a distribution message after its header); <paramref name="atoms"/> null writes every atom in full.
    /// </summary>
    public static void EncodeWithoutVersion(IBufferWriter<byte> writer, ErlangTerm term, IAtomCacheWriter? atoms)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(term);
        var w = new TermWriter(writer) { Atoms = atoms };
        Write(ref w, term);
        w.Flush();
    }

    /// <summary>The term's bytes, version byte first (<c>term_to_binary(T)</c>).</summary>
    public static byte[] ToArray(ErlangTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var bytes = new byte[GetEncodedSize(term)];
        var w = new TermWriter(bytes);
        w.WriteByte(ExternalTag.Version);
        Write(ref w, term);
        return bytes;
    }

    /// <summary>Encodes into <paramref name="destination"/> (version byte first); false when it is too small.</summary>
    public static bool TryEncode(ErlangTerm term, Span<byte> destination, out int written)
    {
        ArgumentNullException.ThrowIfNull(term);
        int size = GetEncodedSize(term);
        if (size > destination.Length)
        {
            written = 0;
            return false;
        }

        var w = new TermWriter(destination);
        w.WriteByte(ExternalTag.Version);
        Write(ref w, term);
        written = w.Written;
        return true;
    }

    /// <summary>
    /// <c>term_to_binary(T, [{compressed, Level}])</c>: a COMPRESSED (zlib) term when that is smaller,
    /// else the plain encoding, as OTP decides. The zlib bytes may differ from OTP's; the term does not.
    /// </summary>
    public static byte[] ToCompressedArray(ErlangTerm term, int level = 6)
    {
        ArgumentNullException.ThrowIfNull(term);
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        var plain = ToArray(term);
        if (level == 0) return plain;
        var body = plain.AsSpan(1);
        var deflated = Compression.Deflate(body, level);
        if (deflated.Length + 5 >= body.Length) return plain;
        var result = new byte[6 + deflated.Length];
        result[0] = ExternalTag.Version;
        result[1] = ExternalTag.Compressed;
        BinaryPrimitives.WriteUInt32BigEndian(result.AsSpan(2), (uint)body.Length);
        deflated.CopyTo(result, 6);
        return result;
    }

    /// <summary>The number of bytes <see cref="Encode"/> writes for the term, version byte included.</summary>
    public static int GetEncodedSize(ErlangTerm term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return checked(1 + (int)SizeOf(term));
    }

    private static void Write(ref TermWriter w, ErlangTerm term)
    {
        switch (term.Kind)
        {
            case TermKind.Integer:
                WriteInteger(ref w, ((ErlangInteger)term).Value);
                return;
            case TermKind.Atom:
                WriteAtom(ref w, (ErlangAtom)term);
                return;
            case TermKind.Tuple:
                WriteTuple(ref w, (ErlangTuple)term);
                return;
            case TermKind.List:
                WriteList(ref w, (ErlangList)term);
                return;
            case TermKind.Binary:
                var bin = ((ErlangBinary)term).Bytes.Span;
                w.WriteTagAndUInt32(ExternalTag.Binary, (uint)bin.Length);
                w.WriteBytes(bin);
                return;
            case TermKind.Pid:
                var pid = (ErlangPid)term;
                w.WriteByte(ExternalTag.NewPid);
                WriteAtom(ref w, pid.Node);
                var p = w.Take(12);
                BinaryPrimitives.WriteUInt32BigEndian(p, pid.Id);
                BinaryPrimitives.WriteUInt32BigEndian(p[4..], pid.Serial);
                BinaryPrimitives.WriteUInt32BigEndian(p[8..], pid.Creation);
                return;
            case TermKind.Reference:
                var r = (ErlangReference)term;
                var ids = r.IdArray;
                w.WriteByte(ExternalTag.NewerReference);
                w.WriteUInt16((ushort)ids.Length);
                WriteAtom(ref w, r.Node);
                w.WriteUInt32(r.Creation);
                foreach (uint id in ids) w.WriteUInt32(id);
                return;
            case TermKind.Map:
                WriteMap(ref w, (ErlangMap)term);
                return;
            case TermKind.String:
                WriteString(ref w, ((ErlangString)term).Bytes.Span);
                return;
            case TermKind.Float:
                var f = w.Take(9);
                f[0] = ExternalTag.NewFloat;
                BinaryPrimitives.WriteDoubleBigEndian(f[1..], ((ErlangFloat)term).Value);
                return;
            case TermKind.BigInteger:
                WriteBig(ref w, ((ErlangBigInteger)term).Value);
                return;
            case TermKind.BitString:
                var bits = (ErlangBitString)term;
                w.WriteTagAndUInt32(ExternalTag.BitBinary, (uint)bits.Bytes.Length);
                w.WriteByte((byte)bits.BitsInLastByte);
                w.WriteBytes(bits.Bytes.Span);
                return;
            case TermKind.Port:
                var port = (ErlangPort)term;
                bool v4 = port.Id > ExternalTag.MaxNewPortId;
                w.WriteByte(v4 ? ExternalTag.V4Port : ExternalTag.NewPort);
                WriteAtom(ref w, port.Node);
                if (v4) w.WriteUInt64(port.Id);
                else w.WriteUInt32((uint)port.Id);
                w.WriteUInt32(port.Creation);
                return;
            case TermKind.Export:
                var e = (ErlangExport)term;
                w.WriteByte(ExternalTag.Export);
                WriteAtom(ref w, e.Module);
                WriteAtom(ref w, e.Function);
                w.WriteTagAndByte(ExternalTag.SmallInteger, (byte)e.Arity);
                return;
            case TermKind.Fun:
                WriteFun(ref w, (ErlangFun)term);
                return;
            default:
                throw new ArgumentException($"Cannot encode a term of kind {term.Kind}.", nameof(term));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteInteger(ref TermWriter w, long v)
    {
        if ((ulong)v <= 255)
        {
            w.WriteTagAndByte(ExternalTag.SmallInteger, (byte)v);
        }
        else if (v is >= int.MinValue and <= int.MaxValue)
        {
            w.WriteTagAndUInt32(ExternalTag.Integer, (uint)(int)v);
        }
        else
        {
            WriteSmallBig(ref w, v);
        }
    }

    private static void WriteSmallBig(ref TermWriter w, long v)
    {
        ulong magnitude = v < 0 ? 0 - (ulong)v : (ulong)v;
        int n = MagnitudeBytes(magnitude);
        var s = w.Take(3 + n);
        s[0] = ExternalTag.SmallBig;
        s[1] = (byte)n;
        s[2] = v < 0 ? (byte)1 : (byte)0;
        for (int i = 0; i < n; i++)
        {
            s[3 + i] = (byte)magnitude;
            magnitude >>= 8;
        }
    }

    private static void WriteBig(ref TermWriter w, BigInteger v)
    {
        if (v >= long.MinValue && v <= long.MaxValue)
        {
            WriteInteger(ref w, (long)v);
            return;
        }

        var magnitude = BigInteger.Abs(v);
        int n = magnitude.GetByteCount(isUnsigned: true);
        if (n <= 255)
        {
            var s = w.Take(3);
            s[0] = ExternalTag.SmallBig;
            s[1] = (byte)n;
            s[2] = v.Sign < 0 ? (byte)1 : (byte)0;
        }
        else
        {
            w.WriteTagAndUInt32(ExternalTag.LargeBig, (uint)n);
            w.WriteByte(v.Sign < 0 ? (byte)1 : (byte)0);
        }

        magnitude.TryWriteBytes(w.Take(n), out _, isUnsigned: true, isBigEndian: false);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteAtom(ref TermWriter w, ErlangAtom atom)
    {
        if (w.Atoms is { } cache && cache.TryGetReference(atom, out var index))
        {
            var r = w.Take(2);
            r[0] = ExternalTag.AtomCacheRef;
            r[1] = index;
            return;
        }

        var utf8 = atom.Utf8Array;
        if (utf8.Length <= 255)
        {
            var s = w.Take(2 + utf8.Length);
            s[0] = ExternalTag.SmallAtomUtf8;
            s[1] = (byte)utf8.Length;
            utf8.CopyTo(s[2..]);
        }
        else
        {
            var s = w.Take(3 + utf8.Length);
            s[0] = ExternalTag.AtomUtf8;
            BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)utf8.Length);
            utf8.CopyTo(s[3..]);
        }
    }

    private static void WriteTuple(ref TermWriter w, ErlangTuple tuple)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var elements = tuple.Elements;
        if (elements.Length <= 255) w.WriteTagAndByte(ExternalTag.SmallTuple, (byte)elements.Length);
        else w.WriteTagAndUInt32(ExternalTag.LargeTuple, (uint)elements.Length);
        foreach (var e in elements) Write(ref w, e);
    }

    private static void WriteList(ref TermWriter w, ErlangList list)
    {
        var elements = list.Elements;
        if (elements.Length == 0)
        {
            w.WriteByte(ExternalTag.Nil);
            return;
        }

        if (list.IsProper && IsByteString(elements))
        {
            // OTP writes a proper list of small integers 0..255 as STRING_EXT.
            var s = w.Take(3 + elements.Length);
            s[0] = ExternalTag.String;
            BinaryPrimitives.WriteUInt16BigEndian(s[1..], (ushort)elements.Length);
            for (int i = 0; i < elements.Length; i++) s[3 + i] = (byte)((ErlangInteger)elements[i]).Value;
            return;
        }

        RuntimeHelpers.EnsureSufficientExecutionStack();
        w.WriteTagAndUInt32(ExternalTag.List, (uint)elements.Length);
        foreach (var e in elements) Write(ref w, e);
        if (list.IsProper) w.WriteByte(ExternalTag.Nil);
        else Write(ref w, list.Tail);
    }

    private static void WriteString(ref TermWriter w, ReadOnlySpan<byte> chars)
    {
        if (chars.IsEmpty)
        {
            w.WriteByte(ExternalTag.Nil);
        }
        else if (chars.Length <= ExternalTag.MaxStringLength)
        {
            w.WriteByte(ExternalTag.String);
            w.WriteUInt16((ushort)chars.Length);
            w.WriteBytes(chars);
        }
        else
        {
            // Too long for STRING_EXT: OTP writes a LIST_EXT of small integers.
            w.WriteTagAndUInt32(ExternalTag.List, (uint)chars.Length);
            foreach (byte c in chars) w.WriteTagAndByte(ExternalTag.SmallInteger, c);
            w.WriteByte(ExternalTag.Nil);
        }
    }

    private static void WriteMap(ref TermWriter w, ErlangMap map)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var entries = map.SortedEntries;
        w.WriteTagAndUInt32(ExternalTag.Map, (uint)entries.Length);
        foreach (var (k, v) in entries)
        {
            Write(ref w, k);
            Write(ref w, v);
        }
    }

    private static void WriteFun(ref TermWriter w, ErlangFun fun)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        // NEW_FUN_EXT declares its size up front, counted with every atom in full: inside it no atom may
        // become a 2-byte ATOM_CACHE_REF, or the size would be wrong (our decoder rejects that; OTP 25-29
        // tolerate it, yet a strict decoder would not).
        var atoms = w.Atoms;
        w.Atoms = null;
        w.WriteTagAndUInt32(ExternalTag.NewFun, (uint)(SizeOf(fun) - 1));
        w.WriteByte((byte)fun.Arity);
        w.WriteBytes(fun.Uniq);
        w.WriteUInt32(fun.Index);
        w.WriteUInt32((uint)fun.FreeVars.Length);
        WriteAtom(ref w, fun.Module);
        Write(ref w, fun.OldIndex);
        Write(ref w, fun.OldUniq);
        Write(ref w, fun.Pid);
        foreach (var v in fun.FreeVars) Write(ref w, v);
        w.Atoms = atoms;
    }

    private static bool IsByteString(ReadOnlySpan<ErlangTerm> elements)
    {
        if (elements.Length > ExternalTag.MaxStringLength) return false;
        foreach (var e in elements)
            if (e.Kind != TermKind.Integer || (ulong)((ErlangInteger)e).Value > 255) return false;
        return true;
    }

    private static int MagnitudeBytes(ulong magnitude) => (64 - BitOperations.LeadingZeroCount(magnitude) + 7) >> 3;

    private static int AtomSize(ErlangAtom atom) => atom.Utf8Array.Length <= 255 ? 2 + atom.Utf8Array.Length : 3 + atom.Utf8Array.Length;

    private static long IntegerSize(long v) =>
        (ulong)v <= 255 ? 2 : v is >= int.MinValue and <= int.MaxValue ? 5 : 3 + MagnitudeBytes(v < 0 ? 0 - (ulong)v : (ulong)v);

    // The encoded size without the version byte.
    private static long SizeOf(ErlangTerm term)
    {
        switch (term.Kind)
        {
            case TermKind.Integer:
                return IntegerSize(((ErlangInteger)term).Value);
            case TermKind.BigInteger:
                var big = ((ErlangBigInteger)term).Value;
                if (big >= long.MinValue && big <= long.MaxValue) return IntegerSize((long)big);
                int n = BigInteger.Abs(big).GetByteCount(isUnsigned: true);
                return (n <= 255 ? 3 : 6) + n;
            case TermKind.Float:
                return 9;
            case TermKind.Atom:
                return AtomSize((ErlangAtom)term);
            case TermKind.Binary:
                return 5 + ((ErlangBinary)term).Length;
            case TermKind.BitString:
                return 6 + ((ErlangBitString)term).Bytes.Length;
            case TermKind.Tuple:
                var te = ((ErlangTuple)term).Elements;
                long ts = te.Length <= 255 ? 2 : 5;
                foreach (var e in te) ts += SizeOf(e);
                return ts;
            case TermKind.List:
                var list = (ErlangList)term;
                var le = list.Elements;
                if (le.Length == 0) return 1;
                if (list.IsProper && IsByteString(le)) return 3 + le.Length;
                long ls = 5 + (list.IsProper ? 1 : SizeOf(list.Tail));
                foreach (var e in le) ls += SizeOf(e);
                return ls;
            case TermKind.String:
                int sl = ((ErlangString)term).Length;
                return sl == 0 ? 1 : sl <= ExternalTag.MaxStringLength ? 3 + sl : 6 + 2L * sl;
            case TermKind.Map:
                long ms = 5;
                foreach (var (k, v) in ((ErlangMap)term).Entries) ms += SizeOf(k) + SizeOf(v);
                return ms;
            case TermKind.Pid:
                return 13 + AtomSize(((ErlangPid)term).Node);
            case TermKind.Port:
                var port = (ErlangPort)term;
                return (port.Id > ExternalTag.MaxNewPortId ? 13 : 9) + AtomSize(port.Node);
            case TermKind.Reference:
                var r = (ErlangReference)term;
                return 7 + AtomSize(r.Node) + 4 * r.IdArray.Length;
            case TermKind.Export:
                var x = (ErlangExport)term;
                return 3 + AtomSize(x.Module) + AtomSize(x.Function);
            case TermKind.Fun:
                var f = (ErlangFun)term;
                long fs = 30 + AtomSize(f.Module) + SizeOf(f.OldIndex) + SizeOf(f.OldUniq) + SizeOf(f.Pid);
                foreach (var v in f.FreeVars) fs += SizeOf(v);
                return fs;
            default:
                throw new ArgumentException($"Cannot encode a term of kind {term.Kind}.", nameof(term));
        }
    }
}
