namespace Beamwire.Node.Handshake;

/// <summary>What a completed handshake established about the peer.</summary>
/// <param name="Peer">The peer's node name.</param>
/// <param name="Flags">The flags in use on the connection: the intersection of both sides' flags.</param>
/// <param name="PeerFlags">What the peer advertised (before intersecting), for diagnostics.</param>
/// <param name="PeerCreation">The peer's creation (incarnation).</param>
/// <param name="WeInitiated">True when we opened the connection.</param>
internal sealed record HandshakeResult(NodeName Peer, DistributionFlags Flags, DistributionFlags PeerFlags, uint PeerCreation, bool WeInitiated)
{
    /// <summary>Published (visible) when both sides set PUBLISHED; otherwise the connection is hidden.</summary>
    public bool IsPublished => (Flags & DistributionFlags.Published) != 0;
}
