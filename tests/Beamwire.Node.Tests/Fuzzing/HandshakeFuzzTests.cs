using System.Text;
using Beamwire.Testing.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace Beamwire.Node.Tests.Fuzzing;

/// <summary>
/// A million hostile handshakes per role and run, mutated from what real erl nodes of OTP 25, 27 and 29
/// sent (the committed corpus, see <see cref="CorpusCaptureTests"/>): the acceptor reads send_name,
/// the answer to alive and challenge_reply; the initiator reads the status, challenge and ack. Only
/// <see cref="Handshake.HandshakeException"/> may come out, and no handshake may wait with its input all
/// read. Each role runs for at most its time budget; a failure prints the seed (BEAMWIRE_FUZZ_SEED repeats
/// the run) and the input as a line for Fuzzing/Corpus/regressions.txt, which <see cref="FuzzRegressionTests"/> replays.
/// </summary>
public class HandshakeFuzzTests(ITestOutputHelper output)
{
    internal const long Inputs = 1_000_000;
    internal static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);
    internal const long MinimumInputs = 100_000;

    internal static readonly byte[][] Tokens =
    [
        .. new[] { "N", "n", "s", "r", "a", "c", "ok", "ok_simultaneous", "nok", "not_allowed", "alive", "true", "false", "named:", "@", "@localhost", "\u0000\u0005" }
            .Select(Encoding.Latin1.GetBytes),
        [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [0x00, 0x00], [0xFF, 0xFF], [0x00, 0x15], [0x00, 0x11],
    ];

    [Fact]
    public void A_million_hostile_send_names_and_challenge_replies_fail_only_with_HandshakeException() =>
        Run("handshake-acceptor", CorpusCaptureTests.InitiatorFile, (input, _, claim) => HandshakeFuzzTarget.Acceptor(input, claim));

    [Fact]
    public void A_million_hostile_statuses_challenges_and_acks_fail_only_with_HandshakeException() =>
        Run("handshake-initiator", CorpusCaptureTests.AcceptorFile, (input, peer, claim) => HandshakeFuzzTarget.Initiator(input, peer, claim));

    private delegate string? Target(ReadOnlySpan<byte> input, NodeName peer, int claim);

    private void Run(string name, string corpusFile, Target target)
    {
        var corpus = FuzzCorpus.Read(FuzzCorpus.PathOf(corpusFile));
        var seeds = corpus.Select(e => e.Bytes).ToArray();
        var seed = FuzzLoop.Seed("BEAMWIRE_FUZZ_SEED");
        output.WriteLine($"seed {seed} (BEAMWIRE_FUZZ_SEED={seed} repeats this run); {corpus.Count} captured inputs: {string.Join(", ", corpus)}");
        var result = FuzzLoop.Run(name, seed, Inputs, Budget, rng =>
        {
            var mutator = new Mutator(rng, seeds, Tokens);
            var buffer = new byte[1024];
            return i =>
            {
                var entry = corpus[rng.Next(corpus.Count)];
                var length = MutateHandshake(mutator, entry.Bytes, buffer, i);
                var claim = rng.Next(16);
                var problem = target(buffer.AsSpan(0, length), NodeFuzzCases.Peer.Value, claim);
                return problem is null ? null : $"{problem}\n  {NodeFuzzCases.RegressionLine(name, [(byte)claim, .. buffer.AsSpan(0, length)])} (seed {seed})";
            };
        });
        FuzzAssert.Clean(result, MinimumInputs, Budget, output.WriteLine);
    }

    /// <summary>Half the time one packet is mutated and the stream framed again (reaching the later steps), else the raw stream.</summary>
    internal static int MutateHandshake(Mutator mutator, byte[] stream, byte[] buffer, long i)
    {
        if (i % 32 == 0) return mutator.Noise(buffer, 64);
        if ((i & 1) == 0) return mutator.Mutate(stream, buffer);
        var packets = WireStreams.HandshakePackets(stream, 8, out _);
        var which = mutator.Random.Next(packets.Count);
        var scratch = new byte[512];
        var n = mutator.Mutate(packets[which], scratch);
        packets[which] = scratch[..n];
        if (mutator.Random.Next(8) == 0) packets.RemoveRange(which + 1, packets.Count - which - 1); // the peer stops here
        var joined = WireStreams.Join(packets);
        joined.AsSpan(0, Math.Min(joined.Length, buffer.Length)).CopyTo(buffer);
        return Math.Min(joined.Length, buffer.Length);
    }
}
