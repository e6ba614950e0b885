namespace Beamwire.Epmd.Daemon;

/// <summary>What the request logic needs to know about the connection a request came on.</summary>
internal interface IConnectionHandle
{
    /// <summary>The number DUMP shows for this connection (epmd's file descriptor).</summary>
    int Fd { get; }

    /// <summary>From 127.0.0.0/8, ::1, or the address the connection arrived on (epmd's "local peer").</summary>
    bool IsLocal { get; }

    /// <summary>Closes the connection from the daemon's side (STOP of the name registered on it).</summary>
    void Abort();
}
