namespace Beamwire.Epmd.Tests.Fuzzing;

/// <summary>
/// One whole epmd fuzz case as a byte string, the form the SharpFuzz harness reads and the regression
/// file keeps: a first byte (for requests, where the first read ends and which options; for replies, which
/// request the reply answers), then the bytes.
/// </summary>
internal static class EpmdFuzzCases
{
    public static readonly string[] Targets = ["epmd-requests", "epmd-replies"];

    public static readonly string[] ReplyKinds = ["alive2", "port_please2", "names", "dump", "kill", "stop"];

    public static string? Run(string target, ReadOnlySpan<byte> input)
    {
        var pick = input.IsEmpty ? 0 : input[0];
        var rest = input.IsEmpty ? input : input[1..];
        return target switch
        {
            "epmd-requests" => new EpmdRequestFuzzTarget().Feed(rest, pick, pick),
            "epmd-replies" => EpmdReplyFuzzTarget.Check(ReplyKinds[pick % ReplyKinds.Length], rest),
            _ => throw new ArgumentException($"Unknown target '{target}'; one of {string.Join(", ", Targets)}."),
        };
    }

    public static string RegressionLine(string target, ReadOnlySpan<byte> input) =>
        $"add to tests/Beamwire.Epmd.Tests/Fuzzing/Corpus/regressions.txt: {target} once-failed {Convert.ToHexString(input)}";
}
