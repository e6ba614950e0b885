namespace Beamwire.Terms;

/// <summary>An Erlang tuple (SMALL_TUPLE_EXT / LARGE_TUPLE_EXT).</summary>
public sealed class ErlangTuple : ErlangTerm
{
    private readonly ErlangTerm[] _elements;

    /// <summary>A tuple of these elements. The tuple takes the array: do not change it afterwards.</summary>
    public ErlangTuple(params ErlangTerm[] elements) : base(TermKind.Tuple)
    {
        ArgumentNullException.ThrowIfNull(elements);
        foreach (var e in elements) ArgumentNullException.ThrowIfNull(e, nameof(elements));
        _elements = elements;
    }

    // The decoder's constructor: elements are known to be non-null.
    internal ErlangTuple(ErlangTerm[] elements, bool trusted) : base(TermKind.Tuple) => _elements = elements;

    /// <summary>The empty tuple <c>{}</c>.</summary>
    public static ErlangTuple Empty { get; } = new([], trusted: true);

    public int Count => _elements.Length;

    public ErlangTerm this[int index] => _elements[index];

    public ReadOnlySpan<ErlangTerm> Elements => _elements;

    public ReadOnlyMemory<ErlangTerm> ElementsMemory => _elements;
}
