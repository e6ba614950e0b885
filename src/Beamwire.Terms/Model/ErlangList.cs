namespace Beamwire.Terms;

/// <summary>
/// An Erlang list: <see cref="Elements"/> followed by <see cref="Tail"/>, which is <see cref="Nil"/>
/// for a proper list and any other term for an improper one (<c>[1,2|3]</c>). A list given a list
/// as its tail is flattened, so <c>[1|[2]]</c> and <c>[1,2]</c> are the same term, as in Erlang.
/// </summary>
public sealed class ErlangList : ErlangTerm
{
    private readonly ErlangTerm[] _elements;

    /// <summary>A proper list. The list takes the array: do not change it afterwards.</summary>
    public ErlangList(params ErlangTerm[] elements) : this(elements, null)
    {
    }

    /// <summary>A list with the given tail (<see cref="Nil"/> or <c>null</c> for a proper list). The list takes the array.</summary>
    public ErlangList(ErlangTerm[] elements, ErlangTerm? tail) : base(TermKind.List)
    {
        ArgumentNullException.ThrowIfNull(elements);
        foreach (var e in elements) ArgumentNullException.ThrowIfNull(e, nameof(elements));
        (_elements, Tail) = Normalize(elements, tail);
    }

    // The decoder's constructor: elements non-null, tail a non-list term or null for [].
    internal ErlangList(ErlangTerm[] elements, ErlangTerm? tail, bool trusted) : base(TermKind.List)
    {
        if (tail is ErlangList or ErlangString)
        {
            (_elements, Tail) = Normalize(elements, tail);
        }
        else
        {
            _elements = elements;
            Tail = tail ?? NilOrSelf();
        }
    }

    private ErlangList() : base(TermKind.List)
    {
        _elements = [];
        Tail = this;
    }

    /// <summary>The empty list <c>[]</c> (the atom <c>nil</c> is <see cref="ErlangAtom.Nil"/>).</summary>
    public static ErlangList Nil { get; } = new();

    /// <summary>The number of elements before the tail.</summary>
    public int Count => _elements.Length;

    public ErlangTerm this[int index] => _elements[index];

    public ReadOnlySpan<ErlangTerm> Elements => _elements;

    public ReadOnlyMemory<ErlangTerm> ElementsMemory => _elements;

    /// <summary><see cref="Nil"/> for a proper list (and for <c>[]</c> itself), else the improper tail.</summary>
    public ErlangTerm Tail { get; }

    /// <summary>True for <c>[]</c>.</summary>
    public bool IsNil => _elements.Length == 0;

    /// <summary>True when the list ends in <c>[]</c>.</summary>
    public bool IsProper => Tail is ErlangList;

    private ErlangList NilOrSelf() => Nil ?? this;

    private (ErlangTerm[] Elements, ErlangTerm Tail) Normalize(ErlangTerm[] elements, ErlangTerm? tail)
    {
        switch (tail)
        {
            case null:
                return (elements, NilOrSelf());
            case ErlangList l when l.IsNil:
                return (elements, NilOrSelf());
            case ErlangList l:
                return (Concat(elements, l._elements), l.Tail);
            case ErlangString s when s.Length == 0:
                return (elements, NilOrSelf());
            case ErlangString s:
                return (Concat(elements, s.ToList()._elements), NilOrSelf());
            default:
                if (elements.Length == 0)
                    throw new ArgumentException("An improper list needs at least one element before its tail.", nameof(elements));
                return (elements, tail);
        }
    }

    private static ErlangTerm[] Concat(ErlangTerm[] a, ErlangTerm[] b)
    {
        if (a.Length == 0) return b;
        var all = new ErlangTerm[a.Length + b.Length];
        a.CopyTo(all, 0);
        b.CopyTo(all, a.Length);
        return all;
    }
}
