using System.Diagnostics;
using Beamwire.Terms.Tests.Support;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace Beamwire.Terms.Tests.Codec;

/// <summary>
/// A million random and mutated inputs through the decoder per run, bounded in time. Every input
/// must either decode (and then re-encode to bytes that decode to the same term) or fail with a
/// TermDecodeException; anything else (IndexOutOfRange, OutOfMemory, a hang) fails the test.
/// For long runs with coverage guidance see docs/terms.md (SharpFuzz harness in fuzz/).
/// </summary>
public class DecoderFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 1_000_000;
    // A guard against a decoder that slows to a crawl, not a race: the million take about 20 s on an idle
    // 2-core machine, and a loaded one (the whole suite beside two CPU burners) may take several times that.
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    // Small limits on most inputs, so the fuzzer reaches the limit paths and creates few atoms.
    private static readonly TermDecoderOptions Strict = new() { MaxAtoms = 0, MaxDepth = 32, MaxTotalSize = 4096, BinarySliceThreshold = 8 };
    private static readonly TermDecoderOptions Loose = new() { MaxAtoms = 4 };

    [Fact]
    public void A_million_hostile_inputs_fail_only_with_TermDecodeException()
    {
        ulong seed = ulong.TryParse(Environment.GetEnvironmentVariable("BEAMWIRE_TERMS_SEED"), out var s) ? s : (ulong)Random.Shared.NextInt64();
        output.WriteLine($"seed {seed} (BEAMWIRE_TERMS_SEED={seed} repeats this run)");
        var corpus = Corpus(seed);
        var clock = Stopwatch.StartNew();
        int workers = Math.Max(2, Environment.ProcessorCount);
        var problems = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long decoded = 0, refused = 0, done = 0;
        Parallel.For(0, workers, w =>
        {
            var rng = new Random(unchecked((int)seed) ^ (w * 7919));
            var buffer = new byte[512];
            for (int i = w; i < Inputs; i += workers)
            {
                if ((i & 1023) == 0 && clock.Elapsed > Budget) break;
                int length = Mutate(rng, corpus, buffer, i);
                var input = buffer.AsMemory(0, length);
                var options = (i & 7) == 0 ? Loose : Strict;
                try
                {
                    var term = (i & 3) == 0 ? TermDecoder.Decode(input, options) : TermDecoder.Decode(input.Span, options);
                    var again = TermDecoder.Decode(TermEncoder.ToArray(term), Loose);
                    if (!again.Equals(term)) problems.Enqueue($"re-encoding changed {T.Hex(input.Span)}");
                    Interlocked.Increment(ref decoded);
                }
                catch (TermDecodeException e)
                {
                    if (e.Offset < 0 || e.Offset > length) problems.Enqueue($"offset {e.Offset} outside a {length}-byte input {T.Hex(input.Span)}");
                    Interlocked.Increment(ref refused);
                }
                catch (Exception e)
                {
                    problems.Enqueue($"{e.GetType().Name}: {e.Message} for {T.Hex(input.Span)}");
                }

                Interlocked.Increment(ref done);
                if (problems.Count > 20) return;
            }
        });

        output.WriteLine($"{done:N0} inputs in {clock.Elapsed.TotalSeconds:F1} s: {decoded:N0} decoded, {refused:N0} refused");
        Assert.True(problems.IsEmpty, $"seed {seed}:\n" + string.Join("\n", problems.Take(20)));
        Assert.True(done >= Inputs, $"only {done:N0} of {Inputs:N0} inputs ran within {Budget}");
    }

    /// <summary>Valid encodings of generated terms, the seeds every mutation starts from.</summary>
    private static byte[][] Corpus(ulong seed)
    {
        var pcg = new PCG(2, seed);
        var gen = TermGen.Term(maxDepth: 3);
        var list = new List<byte[]>();
        while (list.Count < 400)
        {
            var bytes = TermEncoder.ToArray(gen.Generate(pcg, null, out _));
            if (bytes.Length <= 400) list.Add(bytes);
        }

        return list.ToArray();
    }

    private static readonly byte[] Interesting = [0, 1, 0x7F, 0x80, 0xFF, 0xFE, 131, 70, 77, 80, 82, 88, 89, 90, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 118, 119, 120, 121];

    private static int Mutate(Random rng, byte[][] corpus, byte[] buffer, int i)
    {
        if (i % 10 == 0)
        {
            // Pure noise, mostly with a valid version byte so it gets past the first check.
            int n = rng.Next(0, 64);
            rng.NextBytes(buffer.AsSpan(0, n));
            if (n > 0 && rng.Next(4) != 0) buffer[0] = 131;
            return n;
        }

        var source = corpus[rng.Next(corpus.Length)];
        int length = source.Length;
        source.CopyTo(buffer, 0);
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits && length > 1; e++)
        {
            int at = 1 + rng.Next(length - 1);
            switch (rng.Next(8))
            {
                case 0: buffer[at] ^= (byte)(1 << rng.Next(8)); break;
                case 1: buffer[at] = Interesting[rng.Next(Interesting.Length)]; break;
                case 2: buffer[at] = (byte)rng.Next(256); break;
                case 3: length = at; break; // truncate
                case 4:
                    // A length field gone wild: four bytes of 0xFF or big-endian small values.
                    for (int k = at; k < Math.Min(length, at + 4); k++) buffer[k] = rng.Next(2) == 0 ? (byte)0xFF : (byte)rng.Next(4);
                    break;
                case 5:
                    if (length < buffer.Length - 1)
                    {
                        // Insert a byte.
                        Array.Copy(buffer, at, buffer, at + 1, length - at);
                        buffer[at] = Interesting[rng.Next(Interesting.Length)];
                        length++;
                    }

                    break;
                case 6:
                    // Delete a byte.
                    Array.Copy(buffer, at + 1, buffer, at, length - at - 1);
                    length--;
                    break;
                default:
                    // Splice in the tail of another input.
                    var other = corpus[rng.Next(corpus.Length)];
                    int from = rng.Next(other.Length);
                    int n = Math.Min(other.Length - from, buffer.Length - at);
                    Array.Copy(other, from, buffer, at, n);
                    length = at + n;
                    break;
            }
        }

        return length;
    }
}
