namespace Beamwire.Epmd;

/// <summary>Why an epmd request failed.</summary>
public enum EpmdErrorReason
{
    /// <summary>Nothing accepted a connection on the epmd host and port.</summary>
    NotRunning,

    /// <summary>ALIVE2 was refused: the name is registered already (or invalid: too long, bad UTF-8).</summary>
    NameTaken,

    /// <summary>The reply was not what the protocol allows (wrong tag, short, or the connection closed early).</summary>
    Malformed,

    /// <summary>No complete reply within the client's timeout.</summary>
    Timeout,

    /// <summary>A daemon could not listen: the port is taken (most likely by another epmd).</summary>
    AddressInUse,
}

/// <summary>An epmd request failed; <see cref="Reason"/> says how.</summary>
public class EpmdException : Exception
{
    public EpmdException()
        : this(EpmdErrorReason.Malformed, "epmd request failed")
    {
    }

    public EpmdException(string message)
        : this(EpmdErrorReason.Malformed, message)
    {
    }

    public EpmdException(string message, Exception innerException)
        : this(EpmdErrorReason.Malformed, message, innerException)
    {
    }

    public EpmdException(EpmdErrorReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public EpmdErrorReason Reason { get; }
}
