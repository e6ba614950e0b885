namespace Beamwire.Node;

/// <summary>The node an operation needed went down (or could not be reached).</summary>
public sealed class NodeDownException : BeamNodeException
{
    public NodeDownException(NodeName node) : base($"Node {node} is down.") => Node = node;

    public NodeDownException(string message) : base(message) { }

    public NodeDownException(string message, Exception innerException) : base(message, innerException) { }

    public NodeDownException() { }

    public NodeName? Node { get; }
}
