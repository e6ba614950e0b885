namespace Beamwire.Terms;

/// <summary>
/// A proper list of integers 0..255 stored as bytes: what STRING_EXT carries (an Erlang "string"
/// of Latin-1 characters). It is the same term as the <see cref="ErlangList"/> of those integers:
/// they are equal, hash alike, sort alike and encode to the same bytes.
/// </summary>
public sealed class ErlangString : ErlangTerm
{
    public ErlangString(ReadOnlyMemory<byte> bytes) : base(TermKind.String) => Bytes = bytes;

    /// <summary>A string of Latin-1 characters (each at most U+00FF).</summary>
    /// <exception cref="ArgumentException">A character is beyond U+00FF: use a list of code points (<see cref="TermConvert.ToCharlist"/>).</exception>
    public ErlangString(string latin1) : base(TermKind.String)
    {
        ArgumentNullException.ThrowIfNull(latin1);
        var bytes = new byte[latin1.Length];
        for (int i = 0; i < latin1.Length; i++)
        {
            if (latin1[i] > 0xFF)
                throw new ArgumentException($"Character U+{(int)latin1[i]:X4} at {i} is not Latin-1; a string with it is a list of code points (TermConvert.ToCharlist).", nameof(latin1));
            bytes[i] = (byte)latin1[i];
        }

        Bytes = bytes;
    }

    /// <summary>The characters, one byte each.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public int Length => Bytes.Length;

    /// <summary>The characters as a .NET string (Latin-1).</summary>
    public string Value => string.Create(Bytes.Length, Bytes, static (dst, src) =>
    {
        var s = src.Span;
        for (int i = 0; i < s.Length; i++) dst[i] = (char)s[i];
    });

    /// <summary>The same term as an <see cref="ErlangList"/> of integers.</summary>
    public ErlangList ToList()
    {
        var s = Bytes.Span;
        if (s.IsEmpty) return ErlangList.Nil;
        var elements = new ErlangTerm[s.Length];
        for (int i = 0; i < s.Length; i++) elements[i] = ErlangInteger.Create(s[i]);
        return new ErlangList(elements, null, trusted: true);
    }
}
