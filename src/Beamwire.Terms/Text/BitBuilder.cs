using System.Numerics;

namespace Beamwire.Terms.Text;

/// <summary>Builds a binary or bitstring from <c>&lt;&lt;Value:Size&gt;&gt;</c> segments, big-endian as the bit syntax is.</summary>
internal sealed class BitBuilder
{
    private readonly List<byte> _bytes = new();
    private int _bitsInLast = 8;

    public void Add(BigInteger value, int bits)
    {
        if (bits is < 0 or > 1_000_000) throw new TermParseException($"A segment size of {bits} bits is out of range");
        // Two's complement of the value, truncated to the segment, as Erlang does.
        var mask = (BigInteger.One << bits) - 1;
        var v = value & mask;
        for (int i = bits - 1; i >= 0; i--) AddBit(!(v >> i).IsZero && ((v >> i) & 1) == 1);
    }

    public void AddBytes(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes) Add(b, 8);
    }

    private void AddBit(bool bit)
    {
        if (_bitsInLast == 8)
        {
            _bytes.Add(0);
            _bitsInLast = 0;
        }

        if (bit) _bytes[^1] |= (byte)(0x80 >> _bitsInLast);
        _bitsInLast++;
    }

    public ErlangTerm ToTerm() =>
        _bytes.Count == 0 ? ErlangBinary.Empty : ErlangBitString.Create(_bytes.ToArray(), _bitsInLast);
}
