using SharpFuzz;

namespace Beamwire.Wire.Fuzz;

/// <summary>
/// Feeds fuzzer inputs to one wire decoder target. A target's own refusal (HandshakeException,
/// DistributionProtocolException, EpmdException, or the daemon's silence) is the expected way to refuse
/// input; anything else becomes an exception the fuzzer records as a crash.
///   Program TARGET              libFuzzer (run under libfuzzer-dotnet)
///   Program TARGET afl          AFL (run under afl-fuzz)
///   Program TARGET seeds DIR    write the committed corpus as seed files
///   Program TARGET FILE...      replay inputs without a fuzzer (to reproduce a crash)
/// Targets: handshake-acceptor, handshake-initiator, dist-frames, epmd-requests, epmd-replies.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0 || !Targets.Names.Contains(args[0]))
        {
            Console.Error.WriteLine($"usage: Beamwire.Wire.Fuzz TARGET [afl | seeds DIR | FILE...]; targets: {string.Join(", ", Targets.Names)}");
            return 2;
        }

        var target = args[0];
        switch (args[1..])
        {
            case ["afl"]:
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    Check(target, copy.ToArray());
                });
                return 0;
            case ["seeds", var dir]:
                Console.WriteLine($"{Targets.WriteSeeds(target, dir)} seeds in {dir}");
                return 0;
            case []:
                Fuzzer.LibFuzzer.Run(span => Check(target, span));
                return 0;
            default:
                foreach (var file in args[1..])
                {
                    Check(target, File.ReadAllBytes(file));
                    Console.WriteLine($"{file}: ok");
                }

                return 0;
        }
    }

    private static void Check(string target, ReadOnlySpan<byte> input)
    {
        if (Targets.Run(target, input) is { } problem) throw new InvalidOperationException(problem);
    }
}
