using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Beamwire.Terms;

namespace Beamwire.Node.Connection;

/// <summary>
/// The sending half of a connection's distribution atom cache (what OTP does with
/// DFLAG_DIST_HDR_ATOM_CACHE): 2048 slots mirrored by the peer. While one message is encoded, each atom gets
/// an index in that message's header (up to 255): an old entry when its slot already holds it, else a new
/// entry carrying the text, which the peer stores in the slot. Atoms then cost the peer an array lookup
/// instead of an atom-table search, and a node name in every pid shrinks to two bytes. Used only under the
/// connection's send lock, frame by frame, in send order, so the peer's copy always matches.
/// </summary>
internal sealed class OutgoingAtomCache : IAtomCacheWriter
{
    private const int Slots = 2048;     // 8 segments of 256, as OTP's ERTS_ATOM_CACHE_SIZE
    private const int MaxRefs = 255;    // NumberOfAtomCacheRefs is one byte

    private readonly ErlangAtom?[] _slots = new ErlangAtom?[Slots];
    private readonly int[] _slotFrame = new int[Slots]; // the frame that last referenced the slot
    private readonly byte[] _slotRef = new byte[Slots]; // ... and the index it got there
    private readonly ErlangAtom[] _refs = new ErlangAtom[MaxRefs];
    private readonly short[] _refSlot = new short[MaxRefs];
    private readonly bool[] _refNew = new bool[MaxRefs];
    private readonly ErlangAtom?[] _replaced = new ErlangAtom?[MaxRefs];
    private int _frame;
    private int _count;

    /// <summary>Starts a message: no references yet.</summary>
    public void Begin()
    {
        _count = 0;
        if (++_frame == int.MaxValue)
        {
            Array.Clear(_slotFrame);
            _frame = 1;
        }
    }

    public bool TryGetReference(ErlangAtom atom, out byte index)
    {
        var slot = (int)((uint)RuntimeHelpers.GetHashCode(atom) % Slots);
        if (_slotFrame[slot] == _frame)
        {
            // This message already references the slot: the same atom reuses the index, another one
            // (a collision within one message) is written in full.
            index = _slotRef[slot];
            return ReferenceEquals(_refs[index], atom);
        }

        if (_count == MaxRefs)
        {
            index = 0;
            return false;
        }

        var i = _count++;
        _refs[i] = atom;
        _refSlot[i] = (short)slot;
        _refNew[i] = !ReferenceEquals(_slots[slot], atom);
        _replaced[i] = _slots[slot];
        _slots[slot] = atom;
        _slotFrame[slot] = _frame;
        _slotRef[slot] = (byte)i;
        index = (byte)i;
        return true;
    }

    /// <summary>The message was not sent (its encoding failed): the slots it changed get their atoms back.</summary>
    public void Rollback()
    {
        for (var i = _count - 1; i >= 0; i--) _slots[_refSlot[i]] = _replaced[i];
        _count = 0;
        Begin();
    }

    /// <summary>
    /// Writes the distribution header for the message just encoded: <c>131, 68, NumberOfAtomCacheRefs, Flags,
    /// AtomCacheRefs</c> (erl_ext_dist "Normal Distribution Header").
    /// </summary>
    public void WriteHeader(IBufferWriter<byte> w)
    {
        var n = _count;
        var flagBytes = n == 0 ? 0 : n / 2 + 1;
        var longAtoms = false;
        var size = 3 + flagBytes;
        for (var i = 0; i < n; i++)
        {
            size++;
            if (!_refNew[i]) continue;
            var length = _refs[i].Utf8.Length;
            longAtoms |= length > 255;
            size += length;
        }

        if (longAtoms)
        {
            for (var i = 0; i < n; i++) size += _refNew[i] ? 2 : 0;
        }
        else
        {
            for (var i = 0; i < n; i++) size += _refNew[i] ? 1 : 0;
        }

        var s = w.GetSpan(size);
        s[0] = 131;
        s[1] = 68;
        s[2] = (byte)n;
        if (n > 0)
        {
            var flags = s.Slice(3, flagBytes);
            flags.Clear();
            for (var i = 0; i < n; i++) SetNibble(flags, i, (_refNew[i] ? 0x8 : 0) | (_refSlot[i] >> 8));
            SetNibble(flags, n, longAtoms ? 0x1 : 0); // the half byte after the last reference's: LongAtoms

            var pos = 3 + flagBytes;
            for (var i = 0; i < n; i++)
            {
                s[pos++] = (byte)_refSlot[i];
                if (!_refNew[i]) continue;
                var utf8 = _refs[i].Utf8;
                if (longAtoms)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(s[pos..], (ushort)utf8.Length);
                    pos += 2;
                }
                else
                {
                    s[pos++] = (byte)utf8.Length;
                }

                utf8.CopyTo(s[pos..]);
                pos += utf8.Length;
            }
        }

        w.Advance(size);
    }

    private static void SetNibble(Span<byte> flags, int index, int value)
    {
        if ((index & 1) == 0) flags[index / 2] |= (byte)value;
        else flags[index / 2] |= (byte)(value << 4);
    }
}
