namespace Beamwire.Node.Handshake;

/// <summary>Our side of a handshake: who we are and what we offer.</summary>
internal sealed record HandshakeSettings(
    NodeName Self,
    uint Creation,
    DistributionFlags Flags,
    Func<NodeName, string> CookieFor,
    TimeSpan Timeout,
    NodeNameMode NameMode)
{
    /// <summary>Nodes allowed to connect (net_kernel:allow/1); empty means everyone.</summary>
    public IReadOnlyCollection<NodeName> Allowed { get; init; } = [];
}
