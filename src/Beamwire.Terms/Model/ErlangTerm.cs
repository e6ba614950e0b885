using Beamwire.Terms.Ordering;

namespace Beamwire.Terms;

/// <summary>
/// An immutable Erlang term. Equality is Erlang's exact equality (<c>=:=</c>: <c>1</c> and <c>1.0</c>
/// differ), ordering is Erlang's term order (number &lt; atom &lt; reference &lt; fun &lt; port &lt; pid
/// &lt; tuple &lt; map &lt; nil &lt; list &lt; bitstring), and hash codes agree with equality, so terms
/// work as dictionary keys and sort keys. <see cref="ToString"/> prints Erlang syntax.
/// </summary>
public abstract partial class ErlangTerm : IEquatable<ErlangTerm>, IComparable<ErlangTerm>, IComparable
{
    // A field rather than a virtual property: the codec switches on it for every term.
    private readonly TermKind _kind;

    private protected ErlangTerm(TermKind kind) => _kind = kind;

    /// <summary>Which concrete term this is.</summary>
    public TermKind Kind => _kind;

    public bool Equals(ErlangTerm? other) => other is not null && TermEquality.AreEqual(this, other);

    public override bool Equals(object? obj) => obj is ErlangTerm t && TermEquality.AreEqual(this, t);

    public override int GetHashCode() => TermEquality.Hash(this);

    /// <summary>Erlang term order; <c>null</c> sorts first. Integers sort before equal floats, so the order agrees with <see cref="Equals(ErlangTerm)"/>.</summary>
    public int CompareTo(ErlangTerm? other) => other is null ? 1 : TermOrder.Compare(this, other);

    int IComparable.CompareTo(object? obj) => obj switch
    {
        null => 1,
        ErlangTerm t => TermOrder.Compare(this, t),
        _ => throw new ArgumentException("An ErlangTerm compares only with another ErlangTerm.", nameof(obj)),
    };

    /// <summary>The term in Erlang syntax, e.g. <c>{ok,[1,2,3],&lt;&lt;"bin"&gt;&gt;}</c>.</summary>
    public override string ToString() => TermFormatter.ToErlang(this);

    public static bool operator ==(ErlangTerm? left, ErlangTerm? right) =>
        left is null ? right is null : right is not null && TermEquality.AreEqual(left, right);

    public static bool operator !=(ErlangTerm? left, ErlangTerm? right) => !(left == right);

    public static bool operator <(ErlangTerm? left, ErlangTerm? right) => Compare(left, right) < 0;

    public static bool operator <=(ErlangTerm? left, ErlangTerm? right) => Compare(left, right) <= 0;

    public static bool operator >(ErlangTerm? left, ErlangTerm? right) => Compare(left, right) > 0;

    public static bool operator >=(ErlangTerm? left, ErlangTerm? right) => Compare(left, right) >= 0;

    private static int Compare(ErlangTerm? left, ErlangTerm? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    public static implicit operator ErlangTerm(int value) => ErlangInteger.Create(value);

    public static implicit operator ErlangTerm(long value) => ErlangInteger.Create(value);

    public static implicit operator ErlangTerm(double value) => new ErlangFloat(value);

    public static implicit operator ErlangTerm(bool value) => value ? ErlangAtom.True : ErlangAtom.False;
}
