namespace Beamwire.Node;

/// <summary>Base of every error Beamwire.Node raises; the message says what was wrong and what to do.</summary>
public class BeamNodeException : Exception
{
    public BeamNodeException(string message) : base(message) { }

    public BeamNodeException(string message, Exception innerException) : base(message, innerException) { }

    public BeamNodeException() { }
}
