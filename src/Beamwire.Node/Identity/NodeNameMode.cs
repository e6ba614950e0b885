namespace Beamwire.Node;

/// <summary>
/// How node names are formed, as erl's <c>-sname</c> and <c>-name</c>. A node only talks to nodes of its
/// own mode: Erlang refuses a dotted host in short-name mode and a dot-less host (other than an IP
/// address) in long-name mode, and so do we.
/// </summary>
public enum NodeNameMode
{
    /// <summary><c>-sname</c>: <c>name@host</c> where host is the short host name (no dots).</summary>
    ShortNames,

    /// <summary><c>-name</c>: <c>name@host.domain</c> or <c>name@10.0.0.5</c>.</summary>
    LongNames,
}
