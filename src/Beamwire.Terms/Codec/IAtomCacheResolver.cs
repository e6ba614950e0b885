namespace Beamwire.Terms;

/// <summary>
/// Resolves ATOM_CACHE_REF (tag 82) entries: the distribution header's atom cache maps a
/// small index to an atom for the message that follows. The connection layer implements it.
/// </summary>
public interface IAtomCacheResolver
{
    /// <summary>The atom cached at <paramref name="index"/> (0..255 in the message's header). Throw when there is none.</summary>
    ErlangAtom Resolve(int index);
}
