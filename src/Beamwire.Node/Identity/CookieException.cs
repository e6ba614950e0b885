namespace Beamwire.Node;

/// <summary>The cookie could not be read, created or validated.</summary>
public sealed class CookieException : BeamNodeException
{
    public CookieException(string message) : base(message) { }

    public CookieException(string message, Exception innerException) : base(message, innerException) { }

    public CookieException() { }
}
