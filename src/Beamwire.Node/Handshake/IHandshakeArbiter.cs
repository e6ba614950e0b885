namespace Beamwire.Node.Handshake;

/// <summary>What the acceptor is told when it claims the connection slot for a peer (net_kernel accept_pending).</summary>
internal enum AcceptClaim
{
    /// <summary>No connection and no attempt: continue with <c>ok</c>.</summary>
    Ok,

    /// <summary>Our own attempt to the peer is pending and the peer's name is greater: ours is dropped, <c>ok_simultaneous</c>.</summary>
    OkSimultaneous,

    /// <summary>Our own attempt is pending and our name is greater: <c>nok</c>, the peer gives up.</summary>
    Nok,

    /// <summary>A connection to the peer is up: <c>alive</c>, the peer decides.</summary>
    Alive,

    /// <summary>Another accept for the peer is already replacing a live connection: drop this one.</summary>
    AlreadyPending,
}

/// <summary>
/// The node's view of its connections that a handshake consults: the simultaneous-connect tie-break
/// and the <c>alive</c> exchange depend on what other attempts and connections exist.
/// </summary>
internal interface IHandshakeArbiter
{
    /// <summary>Acceptor: claim the slot for <paramref name="peer"/> for this attempt.</summary>
    AcceptClaim ClaimForAccept(NodeName peer, object attempt);

    /// <summary>Initiator told <c>alive</c>: is this attempt still the one the node is waiting for?</summary>
    bool IsPending(NodeName peer, object attempt);

    /// <summary>Acceptor after <c>true</c> to <c>alive</c>: take the old connection down before going on.</summary>
    ValueTask ReplaceLiveConnectionAsync(NodeName peer, object attempt, CancellationToken cancellationToken);

    /// <summary>The handshake failed or was abandoned: release whatever the attempt claimed.</summary>
    void Release(NodeName peer, object attempt);
}
