using System.Buffers.Binary;
using Beamwire.Terms;

namespace Beamwire.Node.Connection;

/// <summary>
/// Parses the atom-cache part of a distribution header (what follows <c>131,68</c>, or <c>131,69,Seq,Frag</c>):
/// <c>NumberOfAtomCacheRefs Flags AtomCacheRefs</c>. New entries are stored in the connection's
/// <see cref="AtomCache"/>; the result maps the header's ATOM_CACHE_REF indices to atoms.
/// </summary>
internal static class DistributionHeader
{
    /// <summary>
    /// Reads the header at the start of <paramref name="data"/> into <paramref name="refs"/>;
    /// <paramref name="consumed"/> is its length.
    /// </summary>
    public static void Read(ReadOnlySpan<byte> data, AtomCache cache, AtomRefs refs, out int consumed)
    {
        if (data.Length < 1) throw Truncated("NumberOfAtomCacheRefs");
        int count = data[0];
        refs.Reset(count);
        if (count == 0)
        {
            consumed = 1;
            return;
        }

        var flagBytes = count / 2 + 1;
        if (data.Length < 1 + flagBytes) throw Truncated("atom cache flags");
        var flags = data.Slice(1, flagBytes);
        // The half byte after the last reference's flags: bit 0 is LongAtoms (2-byte atom lengths).
        var longAtoms = (Nibble(flags, count) & 0x1) != 0;
        var pos = 1 + flagBytes;
        for (var i = 0; i < count; i++)
        {
            var flag = Nibble(flags, i);
            var segment = flag & 0x7;
            if (pos >= data.Length) throw Truncated("atom cache reference");
            var slot = segment * 256 + data[pos++];
            if ((flag & 0x8) != 0)
            {
                int length;
                if (longAtoms)
                {
                    if (pos + 2 > data.Length) throw Truncated("atom length");
                    length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
                    pos += 2;
                }
                else
                {
                    if (pos + 1 > data.Length) throw Truncated("atom length");
                    length = data[pos++];
                }

                if (pos + length > data.Length) throw Truncated("atom text");
                ErlangAtom atom;
                try
                {
                    atom = ErlangAtom.Get(data.Slice(pos, length));
                }
                catch (ArgumentException ex)
                {
                    throw new DistributionProtocolException($"Invalid atom text in the distribution header: {ex.Message}", ex);
                }

                pos += length;
                cache.Set(slot, atom);
                refs.Set(i, atom);
            }
            else
            {
                refs.Set(i, cache.Get(slot));
            }
        }

        consumed = pos;
    }

    private static int Nibble(ReadOnlySpan<byte> flags, int index)
    {
        var b = flags[index / 2];
        return (index & 1) == 0 ? b & 0xF : b >> 4;
    }

    private static DistributionProtocolException Truncated(string what) =>
        new($"Truncated distribution header: the frame ends inside the {what}.");
}
