namespace Beamwire.Node.Connection;

/// <summary>The peer sent something the distribution protocol does not allow; the connection is closed.</summary>
public sealed class DistributionProtocolException : BeamNodeException
{
    public DistributionProtocolException(string message) : base(message) { }

    public DistributionProtocolException(string message, Exception innerException) : base(message, innerException) { }

    public DistributionProtocolException() { }
}
