using Beamwire.Epmd.Protocol;

namespace Beamwire.Epmd;

/// <summary>
/// A NAMES or DUMP reply as epmd sent it: the port epmd listens on, then its text unchanged
/// (so a command can print it byte for byte, as <c>epmd -names</c> does).
/// </summary>
public sealed record EpmdListing(int EpmdPort, ReadOnlyMemory<byte> Text)
{
    /// <summary>The <c>name N at port P</c> lines of a NAMES reply.</summary>
    public IReadOnlyList<EpmdName> ParseNames() => ClientReplies.Names(Text.Span);
}
