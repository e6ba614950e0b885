using Beamwire.Epmd.Tests.Fuzzing;
using Beamwire.Node.Tests.Fuzzing;
using Beamwire.Testing.Fuzzing;

namespace Beamwire.Wire.Fuzz;

/// <summary>
/// The harness's targets are the fuzz tests' cases (<see cref="NodeFuzzCases"/>, <see cref="EpmdFuzzCases"/>):
/// one input file is one whole case, in the form the regression files keep.
/// </summary>
internal static class Targets
{
    public static readonly string[] Names = [.. NodeFuzzCases.Targets, .. EpmdFuzzCases.Targets];

    /// <summary>Runs one input; returns null, or what went wrong (the caller makes it a crash).</summary>
    public static string? Run(string target, ReadOnlySpan<byte> input) =>
        NodeFuzzCases.Targets.Contains(target) ? NodeFuzzCases.Run(target, input) : EpmdFuzzCases.Run(target, input);

    /// <summary>Writes the committed corpus of <paramref name="target"/> as AFL seed files, in the case format.</summary>
    public static int WriteSeeds(string target, string dir)
    {
        Directory.CreateDirectory(dir);
        var n = 0;
        foreach (var (name, bytes) in Seeds(target))
            File.WriteAllBytes(Path.Combine(dir, $"{n++:D3}-{name}"), bytes);
        return n;
    }

    private static IEnumerable<CorpusEntry> Read(string file) => FuzzCorpus.Read(FuzzCorpus.PathOf(file));

    private static IEnumerable<(string, byte[])> Seeds(string target) => target switch
    {
        "handshake-acceptor" => Read(NodeFuzzCases.InitiatorFile).Select(e => (e.Release, (byte[])[0, .. e.Bytes])),
        "handshake-initiator" => Read(NodeFuzzCases.AcceptorFile).Select(e => (e.Release, (byte[])[0, .. e.Bytes])),
        // Runs of up to 8 frames: whole captured connections are too long for AFL to mutate well.
        "dist-frames" => Read(NodeFuzzCases.FramesFile).SelectMany(e =>
        {
            var frames = WireStreams.Frames(e.Bytes);
            return Enumerable.Range(0, (frames.Count + 7) / 8)
                .Select(i => ($"{e.Release}-{e.Label}-{i}", WireStreams.JoinFrames(frames.Skip(i * 8).Take(8))));
        }).Where(s => s.Item2.Length < 16 * 1024),
        "epmd-requests" => Read("epmd-requests.txt").Select(e => ($"{e.Release}-{e.Label}", (byte[])[(byte)e.Bytes.Length, .. e.Bytes])),
        // KILL and STOP answers are text the client only copies: no decoder of the library runs on them.
        "epmd-replies" => Read("epmd-replies.txt").Where(e => e.Label is not ("kill" or "stop"))
            .Select(e => ($"{e.Release}-{e.Label}", (byte[])[(byte)Array.IndexOf(EpmdFuzzCases.ReplyKinds, e.Label), .. e.Bytes])),
        _ => throw new ArgumentException($"Unknown target '{target}'."),
    };
}
