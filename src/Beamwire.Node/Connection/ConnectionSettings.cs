using Beamwire.Terms;

namespace Beamwire.Node.Connection;

/// <summary>Per-connection limits, taken from <see cref="BeamNodeOptions"/>.</summary>
internal sealed record ConnectionSettings(long SendQueueLimit, int MaxMessageSize, int MaxFragmentSequences, TermDecoderOptions DecoderOptions);
