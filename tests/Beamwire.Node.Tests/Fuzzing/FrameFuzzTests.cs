using Beamwire.Terms;
using Beamwire.Testing.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace Beamwire.Node.Tests.Fuzzing;

/// <summary>
/// A million hostile distribution frames per run, mutated from the frames real erl nodes of OTP 25, 27
/// and 29 sent after a handshake (every control kind, atom-cache headers, fragments; the committed
/// corpus, see <see cref="CorpusCaptureTests"/>). Each worker plays connections: the captured frames in
/// order, half of them mutated, through one connection's decoders; a connection ends at its stream's end
/// or, now and then, at a protocol error (as a real one would; otherwise it goes on, so later frames meet
/// an atom cache and fragments in progress). Only <see cref="Connection.DistributionProtocolException"/>
/// may come out. A failure prints the seed and the connection's frames as a line for
/// Fuzzing/Corpus/regressions.txt, which <see cref="FuzzRegressionTests"/> replays.
/// </summary>
public class FrameFuzzTests(ITestOutputHelper output)
{
    private const long Inputs = 1_000_000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);
    private const long MinimumInputs = 100_000;

    private static readonly byte[][] Tokens =
    [
        [131, 68], [131, 69], [131, 70], [112, 131], [0, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 2], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
        [82, 0], [82, 0xFF], [104, 4, 97], [104, 3, 97], [97, 2], [97, 6], [97, 12], [97, 22], [97, 29], [97, 31], [97, 33], [97, 35],
        [88], [90], [119], [118], [116], [0x08], [0x88], [0x0F], [0xF8],
    ];

    [Fact]
    public void A_million_hostile_frames_fail_only_with_DistributionProtocolException()
    {
        var corpus = FuzzCorpus.Read(FuzzCorpus.PathOf(CorpusCaptureTests.FramesFile));
        var streams = corpus.Select(e => WireStreams.Frames(e.Bytes)).ToArray();
        var seeds = streams.SelectMany(s => s).ToArray();
        var seed = FuzzLoop.Seed("BEAMWIRE_FUZZ_SEED");
        output.WriteLine($"seed {seed} (BEAMWIRE_FUZZ_SEED={seed} repeats this run); {corpus.Count} captured connections, {seeds.Length} frames");
        var atomsBefore = InternedAtoms();
        long decoded = 0, refused = 0, fed = 0;
        var result = FuzzLoop.Run("dist-frames", seed, Inputs, Budget, rng =>
        {
            var mutator = new Mutator(rng, seeds, Tokens);
            var session = new FrameFuzzTarget();
            var buffer = new byte[256 * 1024];
            List<byte[]> stream = streams[0];
            var position = int.MaxValue;
            long refusedBefore = 0;
            return i =>
            {
                if (position >= stream.Count)
                {
                    Interlocked.Add(ref decoded, session.Decoded);
                    Interlocked.Add(ref refused, session.Refused);
                    session.Dispose();
                    session = new FrameFuzzTarget();
                    stream = streams[rng.Next(streams.Length)];
                    position = 0;
                }

                // Unchanged frames between the hostile ones (not counted as inputs) keep the connection going.
                while (position < stream.Count && rng.Next(2) == 0)
                {
                    Interlocked.Increment(ref fed);
                    if (session.Feed(stream[position++]) is { } p1) return Failed(p1, session, seed);
                }

                var source = position < stream.Count ? stream[position++] : mutator.PickSeed();
                var length = i % 64 == 0 ? mutator.Noise(buffer, 64) : mutator.Mutate(source, buffer);
                Interlocked.Increment(ref fed);
                var problem = session.Feed(buffer.AsSpan(0, length));
                if (session.Refused != refusedBefore)
                {
                    refusedBefore = session.Refused;
                    if (rng.Next(4) == 0) position = int.MaxValue; // this connection closes
                }

                return problem is null ? null : Failed(problem, session, seed);
            };
        });
        var atoms = InternedAtoms() - atomsBefore;
        output.WriteLine($"{fed:N0} frames fed in all, {decoded:N0} decoded, {refused:N0} refused; {atoms:N0} atoms interned");
        FuzzAssert.Clean(result, MinimumInputs, Budget, output.WriteLine);
    }

    private static string Failed(string problem, FrameFuzzTarget session, ulong seed) =>
        $"{problem}\n  {NodeFuzzCases.RegressionLine("dist-frames", CorpusCaptureTests.Reframe(session.Fed))} (seed {seed})";

    /// <summary>The process's intern-table count: the run must leave room for the other tests' atoms.</summary>
    internal static int InternedAtoms() =>
        (int)typeof(ErlangAtom).GetField("_interned", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.GetValue(null)!;
}
