using Beamwire.Terms;

namespace Beamwire.Node.Connection;

/// <summary>Per-connection limits, taken from <see cref="BeamNodeOptions"/>.</summary>
/// <param name="ReceiveCoalescingMicros">The reader's pause while a peer streams to us (<see cref="BeamNodeOptions.ReceiveCoalescing"/>); 0 = off.</param>
internal sealed record ConnectionSettings(long SendQueueLimit, int MaxMessageSize, int MaxFragmentSequences, TermDecoderOptions DecoderOptions,
    int ReceiveCoalescingMicros = 0);
