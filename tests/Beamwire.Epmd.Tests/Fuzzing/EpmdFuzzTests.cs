using System.Text;
using Beamwire.Testing.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace Beamwire.Epmd.Tests.Fuzzing;

/// <summary>
/// A million hostile epmd requests (the daemon's framing and request rules) and a million hostile replies
/// (the client's decoders) per run, mutated from what real erl nodes, the real <c>epmd</c> command and
/// real epmd of OTP 25, 27 and 29 sent (the committed corpus, see <see cref="EpmdCorpusCaptureTests"/>).
/// The daemon may not throw at all (epmd answers bad requests with silence); the client only with
/// <see cref="EpmdException"/>. Each target runs for at most its time budget; a failure prints the seed
/// (BEAMWIRE_FUZZ_SEED repeats the run) and the input as a line for
/// Fuzzing/Corpus/regressions.txt, which <see cref="EpmdFuzzRegressionTests"/> replays.
/// </summary>
public class EpmdFuzzTests(ITestOutputHelper output)
{
    private const long Inputs = 1_000_000;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);
    private const long MinimumInputs = 100_000;

    private static readonly byte[][] Tokens =
    [
        [120], [122], [110], [100], [107], [115], [118], [121], [119], [0], [0, 0], [0xFF, 0xFF], [0x0B, 0xF3], [0x0B, 0xF2], [0x0B, 0xFC],
        .. new[] { "name ", " at port ", "\n", "fuzz_epmd", "OK", "NO", "STOPPED", "NOEXIST", "\u00e9", "\u0000" }.Select(Encoding.UTF8.GetBytes),
        [0xF0, 0x9F, 0x98, 0x80], [0xC3], [0xED, 0xA0, 0x80],
    ];

    [Fact]
    public void A_million_hostile_requests_never_make_the_daemon_throw()
    {
        var corpus = FuzzCorpus.Read(FuzzCorpus.PathOf(EpmdCorpusCaptureTests.RequestsFile));
        var seeds = corpus.Select(e => e.Bytes).ToArray();
        var seed = FuzzLoop.Seed("BEAMWIRE_FUZZ_SEED");
        output.WriteLine($"seed {seed} (BEAMWIRE_FUZZ_SEED={seed} repeats this run); {corpus.Count} captured requests");
        var targets = new System.Collections.Concurrent.ConcurrentBag<EpmdRequestFuzzTarget>();
        var result = FuzzLoop.Run("epmd requests", seed, Inputs, Budget, rng =>
        {
            var mutator = new Mutator(rng, seeds, Tokens);
            var target = new EpmdRequestFuzzTarget();
            targets.Add(target);
            var buffer = new byte[4096];
            return i =>
            {
                var length = i % 32 == 0 ? mutator.Noise(buffer, 64) : mutator.Mutate(mutator.PickSeed(), buffer, from: (i & 1) == 0 ? 0 : 2);
                // Half the time the length says what follows, so the request reaches the rules behind the framing.
                if ((i & 1) == 1 && length >= 2) System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)(length - 2));
                // One byte says where the first read ends and which options apply, as in the harness's cases.
                var pick = (byte)rng.Next(256);
                var problem = target.Feed(buffer.AsSpan(0, length), pick, pick);
                return problem is null ? null : $"{problem}\n  {EpmdFuzzCases.RegressionLine("epmd-requests", [pick, .. buffer.AsSpan(0, length)])} (seed {seed})";
            };
        });
        output.WriteLine($"{targets.Sum(t => t.Processed):N0} complete requests processed, {targets.Sum(t => t.Registered):N0} registrations");
        Report(result);
    }

    [Fact]
    public void A_million_hostile_replies_fail_only_with_EpmdException()
    {
        var corpus = FuzzCorpus.Read(FuzzCorpus.PathOf(EpmdCorpusCaptureTests.RepliesFile));
        var seeds = corpus.Select(e => e.Bytes).ToArray();
        var seed = FuzzLoop.Seed("BEAMWIRE_FUZZ_SEED");
        output.WriteLine($"seed {seed} (BEAMWIRE_FUZZ_SEED={seed} repeats this run); {corpus.Count} captured replies");
        var result = FuzzLoop.Run("epmd replies", seed, Inputs, Budget, rng =>
        {
            var mutator = new Mutator(rng, seeds, Tokens);
            var buffer = new byte[4096];
            return i =>
            {
                var entry = corpus[rng.Next(corpus.Count)];
                var length = i % 32 == 0 ? mutator.Noise(buffer, 64) : mutator.Mutate(entry.Bytes, buffer);
                // Mostly the decoder of the reply's own request; now and then another one.
                var kind = rng.Next(8) == 0 ? rng.Next(EpmdFuzzCases.ReplyKinds.Length) : Array.IndexOf(EpmdFuzzCases.ReplyKinds, entry.Label);
                var problem = EpmdReplyFuzzTarget.Check(EpmdFuzzCases.ReplyKinds[kind], buffer.AsSpan(0, length));
                return problem is null ? null : $"{problem}\n  {EpmdFuzzCases.RegressionLine("epmd-replies", [(byte)kind, .. buffer.AsSpan(0, length)])} (seed {seed})";
            };
        });
        Report(result);
    }

    private void Report(FuzzResult result)
    {
        FuzzAssert.Clean(result, MinimumInputs, Budget, output.WriteLine);
    }
}
