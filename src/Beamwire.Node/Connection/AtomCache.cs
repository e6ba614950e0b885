using Beamwire.Terms;

namespace Beamwire.Node.Connection;

/// <summary>
/// The receiving side of one connection's distribution atom cache: 8 segments of 256 entries that the
/// peer fills with NewAtomCacheRef entries in distribution headers and refers to afterwards by
/// position (erl_ext_dist "Normal Distribution Header").
/// </summary>
internal sealed class AtomCache
{
    public const int Size = 2048;
    private readonly ErlangAtom?[] _entries = new ErlangAtom?[Size];

    /// <summary>How many NewAtomCacheRef entries the peer has sent (diagnostics and tests).</summary>
    public long NewEntries { get; private set; }

    public void Set(int slot, ErlangAtom atom)
    {
        _entries[slot] = atom;
        NewEntries++;
    }

    public ErlangAtom Get(int slot) =>
        _entries[slot] ?? throw new DistributionProtocolException($"The peer referred to atom cache entry {slot}, which it never filled.");
}

/// <summary>
/// The atoms one distribution header made available to the terms that follow it (ATOM_CACHE_REF index
/// → atom). A connection reuses one instance frame after frame (the terms are decoded before the next
/// header is read); a fragmented message keeps a copy until its last fragment.
/// </summary>
internal sealed class AtomRefs : IAtomCacheResolver
{
    public static readonly AtomRefs None = new(0);

    private readonly ErlangAtom[] _atoms;

    public AtomRefs(int capacity) => _atoms = new ErlangAtom[capacity];

    public int Count { get; private set; }

    /// <summary>Starts a new header's list of <paramref name="count"/> atoms.</summary>
    public void Reset(int count)
    {
        if (count > _atoms.Length) throw new DistributionProtocolException($"A distribution header lists {count} atoms; at most {_atoms.Length} are allowed.");
        Count = count;
    }

    public void Set(int index, ErlangAtom atom) => _atoms[index] = atom;

    public AtomRefs Copy()
    {
        var copy = new AtomRefs(Count) { Count = Count };
        Array.Copy(_atoms, copy._atoms, Count);
        return copy;
    }

    public ErlangAtom Resolve(int index) =>
        (uint)index < (uint)Count
            ? _atoms[index]
            : throw new DistributionProtocolException($"ATOM_CACHE_REF {index} but the distribution header listed {Count} atoms.");
}
