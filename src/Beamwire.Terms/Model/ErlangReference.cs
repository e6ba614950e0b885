namespace Beamwire.Terms;

/// <summary>An Erlang reference (NEWER_REFERENCE_EXT): node, creation and 1..5 id words (OTP 24+ uses up to 5).</summary>
public sealed class ErlangReference : ErlangTerm
{
    /// <summary>The most id words a reference has.</summary>
    public const int MaxIds = 5;

    private readonly uint[] _ids;

    /// <summary>A reference; the id words are copied.</summary>
    public ErlangReference(ErlangAtom node, uint creation, ReadOnlyMemory<uint> ids) : base(TermKind.Reference)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (ids.Length is < 1 or > MaxIds)
            throw new ArgumentException($"A reference has 1..{MaxIds} id words; got {ids.Length}.", nameof(ids));
        Node = node;
        Creation = creation;
        _ids = ids.ToArray();
    }

    /// <summary>A reference; the id words are copied.</summary>
    public ErlangReference(ErlangAtom node, uint creation, uint[] ids) : this(node, creation, new ReadOnlyMemory<uint>(ids))
    {
    }

    // The decoder's constructor: it owns the array.
    internal ErlangReference(ErlangAtom node, uint creation, uint[] ids, bool trusted) : base(TermKind.Reference)
    {
        Node = node;
        Creation = creation;
        _ids = ids;
    }

    public ErlangAtom Node { get; }

    public uint Creation { get; }

    /// <summary>The id words, least significant first, as on the wire.</summary>
    public ReadOnlyMemory<uint> Ids => _ids;

    internal uint[] IdArray => _ids;
}
