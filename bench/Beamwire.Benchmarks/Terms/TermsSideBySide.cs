using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Beamwire.Terms;

namespace Beamwire.Benchmarks.Terms;

/// <summary>
/// The .NET half of scripts/bench-terms.sh: writes the corpus as ETF files for the Erlang half, then
/// times our encode and decode of the same terms the same way the Erlang half does (calibrated loops,
/// best of several rounds) and prints one line per entry: name, encode ns/op, decode ns/op.
/// </summary>
public static class TermsSideBySide
{
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(200);
    private const int Rounds = 7;

    public static int Run(string corpusDir)
    {
        Directory.CreateDirectory(corpusDir);
        foreach (var (name, term) in TermsCorpus.All)
            File.WriteAllBytes(Path.Combine(corpusDir, name + ".etf"), TermEncoder.ToArray(term));

        var writer = new ArrayBufferWriter<byte>(1 << 20);
        foreach (var (name, term) in TermsCorpus.All)
        {
            var bytes = TermEncoder.ToArray(term);
            double encode = Measure(() =>
            {
                writer.ResetWrittenCount();
                TermEncoder.Encode(writer, term);
                return writer.WrittenCount;
            });
            double decode = Measure(() => TermDecoder.Decode(bytes.AsSpan()) is null ? 0 : 1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {encode:F1} {decode:F1}"));
        }

        return 0;
    }

    // Best round of ns/op: iterations calibrated so a round takes about Round.
    private static double Measure(Func<int> op)
    {
        long sink = 0;
        for (int i = 0; i < 1000; i++) sink += op();
        long n = 1;
        while (true)
        {
            var sw = Stopwatch.StartNew();
            for (long i = 0; i < n; i++) sink += op();
            if (sw.Elapsed >= Round / 4) break;
            n *= 2;
        }

        n *= 4;
        double best = double.MaxValue;
        for (int r = 0; r < Rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            for (long i = 0; i < n; i++) sink += op();
            best = Math.Min(best, sw.Elapsed.TotalNanoseconds / n);
        }

        GC.KeepAlive(sink);
        return best;
    }
}
