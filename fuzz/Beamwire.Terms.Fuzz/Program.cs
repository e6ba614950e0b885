using Beamwire.Terms;
using SharpFuzz;

namespace Beamwire.Terms.Fuzz;

/// <summary>
/// Feeds fuzzer inputs to the decoder. A TermDecodeException is the expected way to refuse input;
/// any other exception escapes and the fuzzer records the input as a crash. A decoded term must
/// re-encode to bytes that decode to an equal term.
///   Program            libFuzzer (run under libfuzzer-dotnet)
///   Program afl        AFL (run under afl-fuzz)
///   Program FILE...    replay inputs without a fuzzer (to reproduce a crash)
/// </summary>
internal static class Program
{
    // Small limits reach the limit paths quickly; MaxAtoms keeps the atom table from filling up.
    private static readonly TermDecoderOptions Options = new() { MaxAtoms = 16, MaxDepth = 64, MaxTotalSize = 1 << 20 };

    private static void Main(string[] args)
    {
        if (args is ["afl"])
        {
            Fuzzer.OutOfProcess.Run(stream =>
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                Check(copy.ToArray());
            });
        }
        else if (args.Length > 0)
        {
            foreach (var file in args)
            {
                Check(File.ReadAllBytes(file));
                Console.WriteLine($"{file}: ok");
            }
        }
        else
        {
            Fuzzer.LibFuzzer.Run(span => Check(span));
        }
    }

    private static void Check(ReadOnlySpan<byte> input)
    {
        ErlangTerm term;
        try
        {
            term = TermDecoder.Decode(input, Options);
        }
        catch (TermDecodeException)
        {
            return;
        }

        var again = TermDecoder.Decode(TermEncoder.ToArray(term), Options);
        if (!again.Equals(term)) throw new InvalidOperationException($"Re-encoding changed {term}");
    }
}
