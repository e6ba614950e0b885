using Beamwire.Testing.Fuzzing;

namespace Beamwire.Node.Tests.Fuzzing;

/// <summary>
/// One whole fuzz case as a byte string, the form the SharpFuzz harness reads and the regression file
/// keeps: for the handshakes, a first byte for the arbiter's answer and then the peer's bytes; for frames,
/// the frames with their 4-byte lengths, one connection from its start.
/// </summary>
internal static class NodeFuzzCases
{
    public static readonly string[] Targets = ["handshake-acceptor", "handshake-initiator", "dist-frames"];

    /// <summary>The committed corpus files (Fuzzing/Corpus): what initiators and acceptors sent, and connections' frames.</summary>
    public const string InitiatorFile = "handshake-from-initiator.txt";
    public const string AcceptorFile = "handshake-from-acceptor.txt";
    public const string FramesFile = "dist-frames.txt";

    /// <summary>The erl node the captured challenges name (the initiator checks the name it connected to).</summary>
    public static readonly Lazy<NodeName> Peer = new(() => NodeName.Parse(FuzzCorpus.Read(FuzzCorpus.PathOf(AcceptorFile))[0].Label));

    /// <summary>Runs one case; null, or what went wrong.</summary>
    public static string? Run(string target, ReadOnlySpan<byte> input)
    {
        var pick = input.IsEmpty ? 0 : input[0];
        var rest = input.IsEmpty ? input : input[1..];
        switch (target)
        {
            case "handshake-acceptor":
                return HandshakeFuzzTarget.Acceptor(rest, pick);
            case "handshake-initiator":
                return HandshakeFuzzTarget.Initiator(rest, Peer.Value, pick);
            case "dist-frames":
            {
                using var session = new FrameFuzzTarget();
                foreach (var frame in WireStreams.Frames(input))
                    if (session.Feed(frame) is { } problem) return problem;
                return null;
            }

            default:
                throw new ArgumentException($"Unknown target '{target}'; one of {string.Join(", ", Targets)}.");
        }
    }

    /// <summary>The line to add to Fuzzing/Corpus/regressions.txt for a failing case.</summary>
    public static string RegressionLine(string target, ReadOnlySpan<byte> input) =>
        $"add to tests/Beamwire.Node.Tests/Fuzzing/Corpus/regressions.txt: {target} once-failed {Convert.ToHexString(input)}";
}
