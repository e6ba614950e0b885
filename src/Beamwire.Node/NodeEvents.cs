namespace Beamwire.Node;

/// <summary>Which nodes <see cref="BeamNode.Nodes(NodeListKind)"/> lists, as <c>erlang:nodes/1</c>.</summary>
public enum NodeListKind
{
    /// <summary>Connected visible nodes (<c>nodes()</c>).</summary>
    Visible,

    /// <summary>Connected hidden nodes.</summary>
    Hidden,

    /// <summary>All connected nodes, visible and hidden.</summary>
    Connected,

    /// <summary>Every node this node has known: connected ones, ones connected earlier, and itself.</summary>
    Known,
}

/// <summary>The answer of <see cref="BeamNode.PingAsync"/>, as <c>net_adm:ping/1</c>.</summary>
public enum PingResult
{
    Pong,
    Pang,
}

/// <summary>A connection to a node came up (<c>{nodeup, Node}</c>).</summary>
public sealed class NodeUpEventArgs(NodeName node, bool visible) : EventArgs
{
    public NodeName Node { get; } = node;

    /// <summary>False for a hidden connection.</summary>
    public bool Visible { get; } = visible;
}

/// <summary>A connection to a node went down (<c>{nodedown, Node, [{nodedown_reason, Reason}]}</c>).</summary>
public sealed class NodeDownEventArgs(NodeName node, bool visible, string reason) : EventArgs
{
    public NodeName Node { get; } = node;

    public bool Visible { get; } = visible;

    /// <summary>Erlang's nodedown_reason: <c>connection_closed</c>, <c>net_tick_timeout</c>, <c>disconnect</c>, ...</summary>
    public string Reason { get; } = reason;
}
