using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Beamwire.Terms.Codec;

/// <summary>
/// Reads one external term from a span. Every length the input claims is checked against the bytes
/// that are actually there before anything is allocated for it (a container of N elements needs at
/// least N more bytes, since every term takes at least one), so no input can make it allocate more
/// than a small multiple of its own size. Every failure is a <see cref="TermDecodeException"/>.
/// </summary>
internal ref struct TermReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly bool _canSlice;
    private readonly bool _truncatedByLimit;
    private readonly TermDecoderOptions _options;
    private readonly IAtomCacheResolver? _atomCache;
    private int _pos;
    private int _newAtoms;

    /// <param name="data">The input; when <paramref name="canSlice"/>, the same bytes as <paramref name="memory"/>.</param>
    public TermReader(ReadOnlySpan<byte> data, ReadOnlyMemory<byte> memory, bool canSlice, TermDecoderOptions options, IAtomCacheResolver? atomCache, int newAtoms = 0)
    {
        // Nothing past MaxTotalSize is ever looked at: a term that needs it fails as too large.
        _truncatedByLimit = data.Length > options.MaxTotalSize;
        _data = _truncatedByLimit ? data[..options.MaxTotalSize] : data;
        _memory = memory;
        _canSlice = canSlice;
        _options = options;
        _atomCache = atomCache;
        _pos = 0;
        _newAtoms = newAtoms;
    }

    public readonly int Position => _pos;

    public readonly int NewAtoms => _newAtoms;

    public readonly int Remaining => _data.Length - _pos;

    /// <summary>Reads the version byte and the term after it (which may be a compressed term).</summary>
    public ErlangTerm ReadVersionedTerm()
    {
        byte version = ReadByte("the version byte 131");
        if (version != ExternalTag.Version)
            Fail($"Expected the version byte 131, found {version}", _pos - 1);
        if (_pos < _data.Length && _data[_pos] == ExternalTag.Compressed)
        {
            _pos++;
            return ReadCompressed();
        }

        return ReadTerm(0);
    }

    public ErlangTerm ReadTerm(int depth)
    {
        int start = _pos;
        byte tag = ReadByte("a term tag");
        switch (tag)
        {
            case ExternalTag.SmallInteger:
                return ErlangInteger.Create(ReadByte("a SMALL_INTEGER_EXT value"));
            case ExternalTag.Integer:
                return ErlangInteger.Create(ReadInt32("an INTEGER_EXT value"));
            case ExternalTag.SmallAtomUtf8:
            case ExternalTag.AtomUtf8:
            case ExternalTag.Atom:
            case ExternalTag.SmallAtom:
            case ExternalTag.AtomCacheRef:
                return ReadAtomBody(tag, start);
            case ExternalTag.SmallTuple:
                return ReadTuple(ReadByte("a SMALL_TUPLE_EXT arity"), depth, start);
            case ExternalTag.LargeTuple:
                return ReadTuple(ReadUInt32("a LARGE_TUPLE_EXT arity"), depth, start);
            case ExternalTag.Nil:
                return ErlangList.Nil;
            case ExternalTag.List:
                return ReadList(depth, start);
            case ExternalTag.String:
                return ReadString();
            case ExternalTag.Binary:
                return ReadBinary();
            case ExternalTag.BitBinary:
                return ReadBitBinary(start);
            case ExternalTag.Map:
                return ReadMap(depth, start);
            case ExternalTag.NewFloat:
                return ReadNewFloat(start);
            case ExternalTag.Float:
                return ReadOldFloat(start);
            case ExternalTag.SmallBig:
                return ReadBig(ReadByte("a SMALL_BIG_EXT length"), start);
            case ExternalTag.LargeBig:
                return ReadBig(ReadUInt32("a LARGE_BIG_EXT length"), start);
            case ExternalTag.NewPid:
                return new ErlangPid(ReadAtom("a pid's node"), ReadUInt32("a pid id"), ReadUInt32("a pid serial"), ReadUInt32("a pid creation"));
            case ExternalTag.Pid:
                return new ErlangPid(ReadAtom("a pid's node"), ReadUInt32("a pid id"), ReadUInt32("a pid serial"), ReadByte("a pid creation"));
            case ExternalTag.NewPort:
                return new ErlangPort(ReadAtom("a port's node"), ReadUInt32("a port id"), ReadUInt32("a port creation"));
            case ExternalTag.V4Port:
                return new ErlangPort(ReadAtom("a port's node"), ReadUInt64("a V4 port id"), ReadUInt32("a port creation"));
            case ExternalTag.Port:
                return new ErlangPort(ReadAtom("a port's node"), ReadUInt32("a port id"), ReadByte("a port creation"));
            case ExternalTag.NewerReference:
                return ReadReference(newer: true, start);
            case ExternalTag.NewReference:
                return ReadReference(newer: false, start);
            case ExternalTag.Reference:
            {
                var node = ReadAtom("a reference's node");
                uint id = ReadUInt32("a reference id");
                return new ErlangReference(node, ReadByte("a reference creation"), [id], trusted: true);
            }

            case ExternalTag.Export:
                return ReadExport();
            case ExternalTag.NewFun:
                return ReadFun(depth, start);
            case ExternalTag.Compressed:
                Fail("COMPRESSED_EXT is only valid right after the version byte", start);
                break;
            case ExternalTag.Local:
                Fail("LOCAL_EXT can only be decoded by the node instance that encoded it", start);
                break;
            case ExternalTag.Fun:
                Fail("FUN_EXT (the pre-R8 fun encoding, removed in OTP 23) is not supported", start);
                break;
            case ExternalTag.Version:
                Fail("Unexpected version byte 131 inside a term", start);
                break;
        }

        Fail($"Unknown term tag {tag}", start);
        return null!;
    }

    private ErlangTuple ReadTuple(uint arity, int depth, int start)
    {
        if (arity == 0) return ErlangTuple.Empty;
        EnterContainer(depth, arity, 1, "tuple", start);
        var elements = new ErlangTerm[arity];
        for (int i = 0; i < elements.Length; i++) elements[i] = ReadTerm(depth + 1);
        return new ErlangTuple(elements, trusted: true);
    }

    private ErlangTerm ReadList(int depth, int start)
    {
        uint count = ReadUInt32("a LIST_EXT length");
        // The tail takes at least one more byte.
        EnterContainer(depth, count + 1L, 1, "list", start);
        if (count == 0) return ReadTerm(depth + 1);
        var elements = new ErlangTerm[count];
        for (int i = 0; i < elements.Length; i++) elements[i] = ReadTerm(depth + 1);
        var tail = ReadTerm(depth + 1);
        return new ErlangList(elements, tail is ErlangList { IsNil: true } ? null : tail, trusted: true);
    }

    private ErlangMap ReadMap(int depth, int start)
    {
        uint count = ReadUInt32("a MAP_EXT arity");
        if (count == 0) return ErlangMap.Empty;
        EnterContainer(depth, count, 2, "map", start);
        var entries = new KeyValuePair<ErlangTerm, ErlangTerm>[count];
        for (int i = 0; i < entries.Length; i++)
        {
            var key = ReadTerm(depth + 1);
            entries[i] = new(key, ReadTerm(depth + 1));
        }

        if (ErlangMap.HasDuplicateKeys(entries)) Fail("A map has the same key twice", start);
        return new ErlangMap(entries, trusted: true);
    }

    private ErlangTerm ReadString()
    {
        int length = ReadUInt16("a STRING_EXT length");
        if (length == 0) return ErlangList.Nil;
        return new ErlangString(ReadBytes((uint)length, "STRING_EXT characters"));
    }

    private ErlangBinary ReadBinary()
    {
        uint length = ReadUInt32("a BINARY_EXT length");
        if (length == 0) return ErlangBinary.Empty;
        return new ErlangBinary(ReadBytes(length, "BINARY_EXT data"));
    }

    private ErlangTerm ReadBitBinary(int start)
    {
        uint length = ReadUInt32("a BIT_BINARY_EXT length");
        byte bits = ReadByte("a BIT_BINARY_EXT bit count");
        if (bits > 8 || (bits == 0) != (length == 0))
            Fail($"A BIT_BINARY_EXT of {length} bytes cannot have {bits} bits in its last byte", start);
        if (length == 0) return ErlangBinary.Empty;
        return ErlangBitString.Create(ReadBytes(length, "BIT_BINARY_EXT data"), bits);
    }

    private ReadOnlyMemory<byte> ReadBytes(uint length, string what)
    {
        Need(length, what);
        int len = (int)length;
        ReadOnlyMemory<byte> result = _canSlice && len >= _options.BinarySliceThreshold
            ? _memory.Slice(_pos, len)
            : _data.Slice(_pos, len).ToArray();
        _pos += len;
        return result;
    }

    private ErlangFloat ReadNewFloat(int start)
    {
        Need(8, "a NEW_FLOAT_EXT value");
        double value = BinaryPrimitives.ReadDoubleBigEndian(_data.Slice(_pos, 8));
        _pos += 8;
        if (!double.IsFinite(value)) Fail("A float is NaN or infinite, which Erlang cannot represent", start);
        return new ErlangFloat(value);
    }

    private ErlangFloat ReadOldFloat(int start)
    {
        // FLOAT_EXT: 31 bytes of "%.20e" text, padded with zeros.
        Need(31, "a FLOAT_EXT value");
        var text = _data.Slice(_pos, 31);
        _pos += 31;
        int end = text.IndexOf((byte)0);
        if (end >= 0) text = text[..end];
        Span<char> chars = stackalloc char[31];
        for (int i = 0; i < text.Length; i++) chars[i] = (char)text[i];
        if (!double.TryParse(chars[..text.Length].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            Fail("A FLOAT_EXT value is not a finite number", start);
        return new ErlangFloat(value);
    }

    private ErlangTerm ReadBig(uint length, int start)
    {
        byte sign = ReadByte("a big integer's sign");
        if (sign > 1) Fail($"A big integer's sign byte is 0 or 1, not {sign}", start);
        Need(length, "big integer digits");
        var digits = _data.Slice(_pos, (int)length);
        _pos += (int)length;
        if (length <= 8)
        {
            ulong magnitude = 0;
            for (int i = digits.Length - 1; i >= 0; i--) magnitude = magnitude << 8 | digits[i];
            if (sign == 0 && magnitude <= long.MaxValue) return ErlangInteger.Create((long)magnitude);
            if (sign == 1 && magnitude <= 1UL << 63) return ErlangInteger.Create((long)(0 - magnitude));
        }

        var value = new BigInteger(digits, isUnsigned: true, isBigEndian: false);
        return ErlangInteger.Create(sign == 1 ? -value : value);
    }

    private ErlangReference ReadReference(bool newer, int start)
    {
        int count = ReadUInt16("a reference's id count");
        if (count is < 1 or > ErlangReference.MaxIds)
            Fail($"A reference has 1..{ErlangReference.MaxIds} id words, not {count}", start);
        var node = ReadAtom("a reference's node");
        uint creation = newer ? ReadUInt32("a reference creation") : ReadByte("a reference creation");
        Need((uint)count * 4, "reference id words");
        var ids = new uint[count];
        for (int i = 0; i < ids.Length; i++) ids[i] = ReadUInt32("a reference id word");
        return new ErlangReference(node, creation, ids, trusted: true);
    }

    private ErlangExport ReadExport()
    {
        var module = ReadAtom("an export's module");
        var function = ReadAtom("an export's function");
        int at = _pos;
        if (ReadByte("an export's arity tag") != ExternalTag.SmallInteger)
            Fail("An export's arity is a SMALL_INTEGER_EXT", at);
        return new ErlangExport(module, function, ReadByte("an export's arity"));
    }

    private ErlangFun ReadFun(int depth, int start)
    {
        int sizeAt = _pos;
        uint size = ReadUInt32("a NEW_FUN_EXT size");
        // The size counts itself; the fixed fields after it take 29 bytes.
        if (size < 29) Fail($"A NEW_FUN_EXT size of {size} is too small", sizeAt);
        Need(size - 4, "the NEW_FUN_EXT body");
        int end = sizeAt + (int)size;
        byte arity = ReadByte("a fun arity");
        var uniq = _data.Slice(_pos, 16).ToArray();
        _pos += 16;
        uint index = ReadUInt32("a fun index");
        uint freeCount = ReadUInt32("a fun's free variable count");
        var module = ReadAtom("a fun's module");
        var oldIndex = ReadTerm(depth + 1);
        var oldUniq = ReadTerm(depth + 1);
        if (oldIndex.Kind != TermKind.Integer || oldUniq.Kind != TermKind.Integer)
            Fail("A fun's OldIndex and OldUniq are integers", start);
        var pid = ReadTerm(depth + 1);
        if (pid.Kind != TermKind.Pid) Fail("A fun's creator is a pid", start);
        EnterContainer(depth, freeCount, 1, "fun environment", start);
        var freeVars = new ErlangTerm[freeCount];
        for (int i = 0; i < freeVars.Length; i++) freeVars[i] = ReadTerm(depth + 1);
        if (_pos != end) Fail($"A NEW_FUN_EXT declares {size} bytes but its fields take {_pos - sizeAt}", start);
        return new ErlangFun(arity, uniq, index, module, oldIndex, oldUniq, pid, freeVars);
    }

    private ErlangTerm ReadCompressed()
    {
        int start = _pos - 1;
        if (!_options.AllowCompressed) Fail("Compressed terms are not allowed (TermDecoderOptions.AllowCompressed)", start);
        uint size = ReadUInt32("the uncompressed size");
        if (size > _options.MaxTotalSize)
            Fail($"A compressed term of {size} bytes exceeds MaxTotalSize ({_options.MaxTotalSize})", start);
        var compressed = _data[_pos..];
        byte[] inflated = Compression.Inflate(compressed, (int)size, start);
        _pos = _data.Length;
        ErlangTerm term;
        int used;
        try
        {
            // The inflated bytes are ours and short-lived: binaries are copied out of them.
            var inner = new TermReader(inflated.AsSpan(0, (int)size), default, canSlice: false, _options, _atomCache, _newAtoms);
            term = inner.ReadTerm(0);
            used = inner.Position;
            _newAtoms = inner.NewAtoms;
        }
        catch (TermDecodeException e)
        {
            throw new TermDecodeException($"In the decompressed data at offset {e.Offset}: {e.Reason}", start, e);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(inflated);
        }

        if (used != size)
            Fail($"A compressed term's data holds {size - used} bytes after the term", start);
        return term;
    }

    private ErlangAtom ReadAtom(string what)
    {
        int start = _pos;
        byte tag = ReadByte(what);
        if (tag is ExternalTag.SmallAtomUtf8 or ExternalTag.AtomUtf8 or ExternalTag.Atom or ExternalTag.SmallAtom or ExternalTag.AtomCacheRef)
            return ReadAtomBody(tag, start);
        Fail($"Expected an atom for {what}, found tag {tag}", start);
        return null!;
    }

    private ErlangAtom ReadAtomBody(byte tag, int start)
    {
        switch (tag)
        {
            case ExternalTag.SmallAtomUtf8:
                return MakeAtom(ReadByte("an atom length"), utf8: true, start);
            case ExternalTag.AtomUtf8:
                return MakeAtom(ReadUInt16("an atom length"), utf8: true, start);
            case ExternalTag.SmallAtom:
                return MakeAtom(ReadByte("an atom length"), utf8: false, start);
            case ExternalTag.Atom:
                return MakeAtom(ReadUInt16("an atom length"), utf8: false, start);
            default:
                int index = ReadByte("an atom cache index");
                if (_atomCache is null)
                    Fail("ATOM_CACHE_REF outside a distribution message (no atom cache to resolve it)", start);
                ErlangAtom? cached;
                try
                {
                    cached = _atomCache.Resolve(index);
                }
                catch (Exception e) when (e is not TermDecodeException)
                {
                    throw new TermDecodeException($"Atom cache entry {index} cannot be resolved: {e.Message}", start, e);
                }

                if (cached is null) Fail($"Atom cache entry {index} is empty", start);
                return cached;
        }
    }

    private ErlangAtom MakeAtom(int length, bool utf8, int start)
    {
        Need((uint)length, "atom characters");
        var bytes = _data.Slice(_pos, length);
        _pos += length;
        if (!utf8)
        {
            if (length > ErlangAtom.MaxLength) Fail($"An atom has at most {ErlangAtom.MaxLength} characters, not {length}", start);
            if (!System.Text.Ascii.IsValid(bytes))
            {
                // Latin-1 beyond ASCII: re-encode as UTF-8 (at most 2 bytes a character).
                Span<byte> converted = stackalloc byte[ErlangAtom.MaxLength * 2];
                int n = 0;
                foreach (byte b in bytes)
                {
                    if (b < 0x80)
                    {
                        converted[n++] = b;
                    }
                    else
                    {
                        converted[n++] = (byte)(0xC0 | b >> 6);
                        converted[n++] = (byte)(0x80 | (b & 0x3F));
                    }
                }

                return LookUpAtom(converted[..n], start);
            }
        }

        return LookUpAtom(bytes, start);
    }

    private ErlangAtom LookUpAtom(scoped ReadOnlySpan<byte> utf8, int start)
    {
        if (ErlangAtom.TryGetExisting(utf8, out var atom)) return atom;
        if (++_newAtoms > _options.MaxAtoms)
            Fail($"The term creates more than {_options.MaxAtoms} new atoms (TermDecoderOptions.MaxAtoms)", start);
        try
        {
            return ErlangAtom.Get(utf8);
        }
        catch (ArgumentException e)
        {
            throw new TermDecodeException("Invalid atom: " + e.Message, start, e);
        }
    }

    private readonly void EnterContainer(int depth, long count, int minBytesEach, string what, int start)
    {
        if (depth >= _options.MaxDepth)
            Fail($"Terms nest deeper than {_options.MaxDepth} (TermDecoderOptions.MaxDepth)", start);
        if (count * minBytesEach > Remaining)
        {
            Fail(_truncatedByLimit
                ? $"A {what} of {count} elements exceeds MaxTotalSize ({_options.MaxTotalSize})"
                : $"A {what} claims {count} elements but only {Remaining} bytes remain", start);
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            Fail("Terms nest too deeply for the stack", start);
    }

    private byte ReadByte(string what)
    {
        if (_pos >= _data.Length) Truncated(1, what);
        return _data[_pos++];
    }

    private int ReadUInt16(string what)
    {
        Need(2, what);
        int v = BinaryPrimitives.ReadUInt16BigEndian(_data.Slice(_pos));
        _pos += 2;
        return v;
    }

    private int ReadInt32(string what)
    {
        Need(4, what);
        int v = BinaryPrimitives.ReadInt32BigEndian(_data.Slice(_pos));
        _pos += 4;
        return v;
    }

    private uint ReadUInt32(string what)
    {
        Need(4, what);
        uint v = BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(_pos));
        _pos += 4;
        return v;
    }

    private ulong ReadUInt64(string what)
    {
        Need(8, what);
        ulong v = BinaryPrimitives.ReadUInt64BigEndian(_data.Slice(_pos));
        _pos += 8;
        return v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Need(uint count, string what)
    {
        if (count > (uint)(_data.Length - _pos)) Truncated(count, what);
    }

    [DoesNotReturn]
    private readonly void Truncated(long count, string what)
    {
        if (_truncatedByLimit)
            Fail($"The term exceeds MaxTotalSize ({_options.MaxTotalSize}) at {what}", _pos);
        Fail($"Expected {what} ({count} bytes) but only {Remaining} bytes remain", _pos);
    }

    [DoesNotReturn]
    private static void Fail(string message, int offset) => throw new TermDecodeException(message, offset);
}
