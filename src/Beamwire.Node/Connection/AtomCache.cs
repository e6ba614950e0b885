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

/// <summary>The atoms one distribution header made available to the terms that follow it (ATOM_CACHE_REF index → atom).</summary>
internal sealed class AtomRefs : IAtomCacheResolver
{
    public static readonly AtomRefs None = new([]);

    private readonly ErlangAtom[] _atoms;

    public AtomRefs(ErlangAtom[] atoms) => _atoms = atoms;

    public int Count => _atoms.Length;

    public ErlangAtom Resolve(int index) =>
        (uint)index < (uint)_atoms.Length
            ? _atoms[index]
            : throw new DistributionProtocolException($"ATOM_CACHE_REF {index} but the distribution header listed {_atoms.Length} atoms.");
}
