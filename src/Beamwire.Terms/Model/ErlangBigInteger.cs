using System.Numerics;

namespace Beamwire.Terms;

/// <summary>
/// An Erlang integer of any size (SMALL_BIG / LARGE_BIG). The decoder only produces it for values
/// outside the 64-bit range; one built from a small value still equals the <see cref="ErlangInteger"/>
/// of that value and encodes the same way.
/// </summary>
public sealed class ErlangBigInteger : ErlangTerm
{
    public ErlangBigInteger(BigInteger value) : base(TermKind.BigInteger) => Value = value;

    public BigInteger Value { get; }
}
