using System.Diagnostics;
using Beamwire.Epmd.Daemon;
using Beamwire.Epmd.Protocol;
using Beamwire.Testing;
using Beamwire.Testing.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace Beamwire.Epmd.Tests.Fuzzing;

/// <summary>
/// The epmd fuzz corpus is what real peers send: for each release, a loopback relay in front of that
/// release's epmd records a real erl node registering (ALIVE2) and looking names up (PORT_PLEASE2, found
/// and not), and the real <c>epmd</c> command's <c>-names</c> (NAMES), <c>-kill</c> and <c>-stop</c>; the replies are the real epmd's. The test checks each request frames and each reply
/// decodes; with <c>BEAMWIRE_FUZZ_CORPUS_WRITE=1</c> (scripts/capture-fuzz-corpus.sh) it rewrites the
/// committed corpus the fuzz tests mutate.
/// </summary>
public class EpmdCorpusCaptureTests(ITestOutputHelper output)
{
    internal const string RequestsFile = "epmd-requests.txt";
    internal const string RepliesFile = "epmd-replies.txt";
    private const string Header = "Captured from real erl nodes, epmd commands and epmd through a loopback relay by Beamwire.Epmd.Tests'\nEpmdCorpusCaptureTests (scripts/capture-fuzz-corpus.sh regenerates it). Lines: release, the request, hex.";

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Real_epmd_requests_and_replies_are_captured_and_decode(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var relay = new RecordingRelay(() => epmd.Port);
        await using (var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = "fuzz_epmd", EpmdPort = relay.Port }))
        {
            // (erl's own NAMES is the same request as epmd -names', but it refuses a reply naming another port than
            // the one it connected to, which a relay is.)
            Assert.Equal("ok", await peer.EvalTextAsync("{port, _, _} = erl_epmd:port_please(\"fuzz_epmd\", {127, 0, 0, 1}), ok."));
            Assert.Equal("ok", await peer.EvalTextAsync("noport = erl_epmd:port_please(\"nobody\", {127, 0, 0, 1}), ok."));
            await EpmdCommandAsync(release, relay.Port, "-names");
            await EpmdCommandAsync(release, relay.Port, "-kill");            // refused: a node is registered
            await EpmdCommandAsync(release, relay.Port, "-stop", "fuzz_epmd"); // refused without -relaxed_command_check
        }

        // The registration's connection ends with the node; every other one after its reply.
        var requests = new List<CorpusEntry>();
        var replies = new List<CorpusEntry>();
        var r = FuzzCorpus.ReleaseName(release);
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in relay.Connections)
        {
            var request = c.FromClient;
            Assert.Equal(FrameStatus.Complete, RequestFrame.Check(request, out _));
            var kind = Kind(request[2]);
            seen.Add(kind);
            requests.Add(new CorpusEntry(r, kind, request));
            var reply = c.FromServer;
            Check(kind, reply);
            if (reply.Length > 0) replies.Add(new CorpusEntry(r, kind, reply));
        }

        output.WriteLine($"{release}: {string.Join(", ", requests)}; replies {string.Join(", ", replies)}");
        foreach (var kind in new[] { "alive2", "port_please2", "names", "kill", "stop" }) Assert.Contains(kind, seen);
        Assert.Contains(replies, e => e.Label == "port_please2" && e.Bytes.Length > 2);
        Assert.Contains(replies, e => e.Label == "port_please2" && e.Bytes.Length == 2);
        if (FuzzCorpus.WriteTarget("Beamwire.Epmd.Tests", RequestsFile) is { } requestsPath) FuzzCorpus.Write(requestsPath, Header, r, requests);
        if (FuzzCorpus.WriteTarget("Beamwire.Epmd.Tests", RepliesFile) is { } repliesPath) FuzzCorpus.Write(repliesPath, Header, r, replies);
    }

    internal static string Kind(byte code) => code switch
    {
        EpmdCodes.Alive2Req => "alive2",
        EpmdCodes.Port2Req => "port_please2",
        EpmdCodes.NamesReq => "names",
        EpmdCodes.DumpReq => "dump",
        EpmdCodes.KillReq => "kill",
        EpmdCodes.StopReq => "stop",
        _ => "code" + code,
    };

    private static void Check(string kind, byte[] reply)
    {
        switch (kind)
        {
            case "alive2":
                Assert.Equal(0, EpmdReplyFuzzTarget.Alive2(reply)!.Value.Result);
                break;
            case "port_please2":
                ClientReplies.Port2(reply);
                break;
            case "names":
                Assert.Contains(EpmdReplyFuzzTarget.Listing(reply).ParseNames(), n => n.Name == "fuzz_epmd");
                break;
            case "kill":
                Assert.Equal("NO"u8.ToArray(), reply);
                break;
        }
    }

    private static async Task EpmdCommandAsync(OtpRelease release, int port, params string[] args)
    {
        using var process = Process.Start(OtpInstall.Get(release).StartInfo("epmd", ["-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args]))!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(stdout, stderr);
    }
}
