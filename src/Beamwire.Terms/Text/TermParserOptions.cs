namespace Beamwire.Terms;

/// <summary>
/// What printed pids, ports and references (<c>&lt;0.123.0&gt;</c>) are taken to mean: their text has no
/// node name or creation, so the parser fills these in (default: <c>nonode@nohost</c>, creation 0).
/// </summary>
public sealed class TermParserOptions
{
    public static TermParserOptions Default { get; } = new();

    /// <summary>The node that printed pids, ports and references belong to.</summary>
    public ErlangAtom Node { get; init; } = ErlangAtom.NoNode;

    /// <summary>That node's creation.</summary>
    public uint Creation { get; init; }
}
