namespace Beamwire.Terms;

// The kinds are named after Erlang types, which share names with CLR types on purpose.
#pragma warning disable CA1720

/// <summary>The concrete kind of an <see cref="ErlangTerm"/>; lets hot paths switch without type tests.</summary>
public enum TermKind : byte
{
    /// <summary><see cref="ErlangInteger"/>: an integer that fits in 64 bits.</summary>
    Integer,
    /// <summary><see cref="ErlangBigInteger"/>: an integer outside the 64-bit range.</summary>
    BigInteger,
    /// <summary><see cref="ErlangFloat"/>.</summary>
    Float,
    /// <summary><see cref="ErlangAtom"/>.</summary>
    Atom,
    /// <summary><see cref="ErlangReference"/>.</summary>
    Reference,
    /// <summary><see cref="ErlangFun"/>: a local fun, kept opaque.</summary>
    Fun,
    /// <summary><see cref="ErlangExport"/>: <c>fun M:F/A</c>.</summary>
    Export,
    /// <summary><see cref="ErlangPort"/>.</summary>
    Port,
    /// <summary><see cref="ErlangPid"/>.</summary>
    Pid,
    /// <summary><see cref="ErlangTuple"/>.</summary>
    Tuple,
    /// <summary><see cref="ErlangMap"/>.</summary>
    Map,
    /// <summary><see cref="ErlangList"/>, including the empty list <c>[]</c>.</summary>
    List,
    /// <summary><see cref="ErlangString"/>: a list of bytes (STRING_EXT).</summary>
    String,
    /// <summary><see cref="ErlangBinary"/>.</summary>
    Binary,
    /// <summary><see cref="ErlangBitString"/>: a bitstring whose length is not a whole number of bytes.</summary>
    BitString,
}
