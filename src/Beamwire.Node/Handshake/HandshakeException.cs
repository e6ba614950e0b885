namespace Beamwire.Node.Handshake;

/// <summary>The distribution handshake failed; the message says at which step and why.</summary>
public sealed class HandshakeException : BeamNodeException
{
    public HandshakeException(string message) : base(message) { }

    public HandshakeException(string message, Exception innerException) : base(message, innerException) { }

    public HandshakeException() { }

    /// <summary>The peer's status, when the failure is the peer refusing us.</summary>
    public HandshakeStatus? Status { get; init; }

    /// <summary>Set when the failure is a wrong cookie (digest mismatch) on either side.</summary>
    public bool IsCookieMismatch { get; init; }
}
