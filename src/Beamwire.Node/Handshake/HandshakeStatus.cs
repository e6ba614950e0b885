namespace Beamwire.Node.Handshake;

/// <summary>The status the acceptor sends after send_name (and the initiator's answer to <c>alive</c>).</summary>
public enum HandshakeStatus
{
    /// <summary><c>ok</c>: continue.</summary>
    Ok,

    /// <summary><c>ok_simultaneous</c>: continue; the acceptor drops its own attempt towards us.</summary>
    OkSimultaneous,

    /// <summary><c>nok</c>: the acceptor keeps its own simultaneous attempt (its name is greater).</summary>
    Nok,

    /// <summary><c>not_allowed</c>: refused (e.g. missing flags or not in the allowed list).</summary>
    NotAllowed,

    /// <summary><c>alive</c>: the acceptor already has a connection to this node name.</summary>
    Alive,

    /// <summary><c>named:</c>: continue with the dynamic name the acceptor chose.</summary>
    Named,

    /// <summary>Initiator's answer <c>true</c> to <c>alive</c>: the old connection is stale, replace it.</summary>
    AliveTrue,

    /// <summary>Initiator's answer <c>false</c> to <c>alive</c>: give up this attempt.</summary>
    AliveFalse,
}
