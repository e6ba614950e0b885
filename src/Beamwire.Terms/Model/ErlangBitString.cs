namespace Beamwire.Terms;

/// <summary>
/// A bitstring whose length is not a whole number of bytes (BIT_BINARY_EXT), e.g. <c>&lt;&lt;1:3&gt;&gt;</c>.
/// The last byte's significant bits are its high bits; the unused low bits are always zero here.
/// Whole-byte bitstrings are binaries: use <see cref="ErlangBinary"/> (or <see cref="Create"/>, which picks).
/// </summary>
public sealed class ErlangBitString : ErlangTerm
{
    /// <param name="bytes">The bytes; the last one holds <paramref name="bitsInLastByte"/> significant bits.</param>
    /// <param name="bitsInLastByte">1..7.</param>
    public ErlangBitString(ReadOnlyMemory<byte> bytes, int bitsInLastByte) : base(TermKind.BitString)
    {
        if (bitsInLastByte is < 1 or > 7)
            throw new ArgumentOutOfRangeException(nameof(bitsInLastByte), bitsInLastByte, "A bitstring has 1..7 bits in its last byte; a whole last byte makes it an ErlangBinary.");
        if (bytes.IsEmpty)
            throw new ArgumentException("A bitstring with bits in its last byte has at least one byte.", nameof(bytes));
        int unused = (1 << (8 - bitsInLastByte)) - 1;
        if ((bytes.Span[^1] & unused) != 0)
        {
            // Clear the bits beyond the bitstring's length, so equal bitstrings have equal bytes.
            var copy = bytes.ToArray();
            copy[^1] &= (byte)~unused;
            bytes = copy;
        }

        Bytes = bytes;
        BitsInLastByte = bitsInLastByte;
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>How many high bits of the last byte belong to the bitstring (1..7).</summary>
    public int BitsInLastByte { get; }

    /// <summary>The length in bits.</summary>
    public long BitLength => ((long)Bytes.Length - 1) * 8 + BitsInLastByte;

    /// <summary>A bitstring of <paramref name="bytes"/> with <paramref name="bitsInLastByte"/> (1..8) bits in the last byte: an <see cref="ErlangBinary"/> when that is 8 or there are no bytes.</summary>
    public static ErlangTerm Create(ReadOnlyMemory<byte> bytes, int bitsInLastByte) =>
        bitsInLastByte == 8 || bytes.IsEmpty ? new ErlangBinary(bytes) : new ErlangBitString(bytes, bitsInLastByte);
}
