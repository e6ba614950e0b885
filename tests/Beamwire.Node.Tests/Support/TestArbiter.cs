using Beamwire.Node.Handshake;

namespace Beamwire.Node.Tests.Support;

/// <summary>An <see cref="IHandshakeArbiter"/> for driving one handshake side by hand: answers what the test sets, counts calls.</summary>
internal sealed class TestArbiter : IHandshakeArbiter
{
    public AcceptClaim Claim { get; set; } = AcceptClaim.Ok;
    public bool Pending { get; set; } = true;
    public int Replaced { get; private set; }
    public int Released { get; private set; }

    public AcceptClaim ClaimForAccept(NodeName peer, object attempt) => Claim;

    public bool IsPending(NodeName peer, object attempt) => Pending;

    public ValueTask ReplaceLiveConnectionAsync(NodeName peer, object attempt, CancellationToken cancellationToken)
    {
        Replaced++;
        return ValueTask.CompletedTask;
    }

    public void Release(NodeName peer, object attempt) => Released++;
}
