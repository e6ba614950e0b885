namespace Beamwire.Terms;

/// <summary>
/// The sending side of the distribution atom cache: while a message is encoded, gives each atom the
/// ATOM_CACHE_REF index (tag 82) it has in that message's distribution header, or declines (the atom is then
/// written in full). The connection layer implements it and writes the header.
/// </summary>
public interface IAtomCacheWriter
{
    /// <summary>The header index for <paramref name="atom"/> in the message being encoded; false to write the atom in full.</summary>
    bool TryGetReference(ErlangAtom atom, out byte index);
}
