namespace Beamwire.Node;

/// <summary>A node name that Erlang would refuse (bad syntax, or the wrong short/long-name mode).</summary>
public sealed class NodeNameException : BeamNodeException
{
    public NodeNameException(string message) : base(message) { }

    public NodeNameException(string message, Exception innerException) : base(message, innerException) { }

    public NodeNameException() { }
}
