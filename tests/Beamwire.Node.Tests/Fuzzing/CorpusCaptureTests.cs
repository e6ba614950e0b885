using System.Net;
using Beamwire.Epmd;
using Beamwire.Node.Connection;
using Beamwire.Node.Control;
using Beamwire.Node.Handshake;
using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Beamwire.Testing.Fuzzing;
using Xunit;
using Xunit.Abstractions;

namespace Beamwire.Node.Tests.Fuzzing;

/// <summary>
/// The fuzz corpus is what real erl nodes send. For each release, a loopback relay records both directions
/// between a real erl node and a Beamwire node while erl connects to us (its send_name and challenge_reply,
/// then its frames) and we connect to it (its status, challenge and ack, then its frames), and erl sends
/// every control message kind a peer sends. The test checks what the capture holds (each handshake message,
/// each control kind, atom-cache entries, fragments) and that all of it decodes; with
/// <c>BEAMWIRE_FUZZ_CORPUS_WRITE=1</c> (scripts/capture-fuzz-corpus.sh) it also rewrites the committed
/// corpus, which the fuzz tests mutate (a fixed corpus, so a printed seed repeats a run).
/// </summary>
public class CorpusCaptureTests(ITestOutputHelper output)
{
    internal const string InitiatorFile = NodeFuzzCases.InitiatorFile;
    internal const string AcceptorFile = NodeFuzzCases.AcceptorFile;
    internal const string FramesFile = NodeFuzzCases.FramesFile;
    private const string Header = "Captured from a real erl node through a loopback relay by Beamwire.Node.Tests' CorpusCaptureTests\n(scripts/capture-fuzz-corpus.sh regenerates it). Lines: release, the erl node, hex.";

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Real_erl_handshakes_and_frames_are_captured_and_decode(OtpRelease release)
    {
        var host = TestHost.ShortName;
        var erlName = $"fuzz_erl@{host}";
        var bwName = $"fuzz_bw@{host}";
        await using var epmd = await RealEpmd.StartAsync(release);
        var listenPort = FreePort.Next();
        int erlPort = 0;
        await using var inbound = new RecordingRelay(() => listenPort);   // erl -> relay -> us
        await using var outbound = new RecordingRelay(() => erlPort);     // us -> relay -> erl
        await using var node = await BeamNode.StartAsync(new BeamNodeOptions
        {
            Name = bwName, Cookie = TestNodes.Cookie, Epmd = EpmdMode.Disabled, ListenAddress = IPAddress.Loopback, ListenPort = listenPort,
            PortResolver = (_, _) => ValueTask.FromResult<int?>(outbound.Port), HandshakeTimeout = TimeSpan.FromSeconds(10),
        });
        var epmdClient = new EpmdClient("127.0.0.1", epmd.Port);
        await using var registration = await epmdClient.RegisterAsync("fuzz_bw", inbound.Port);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { SName = "fuzz_erl", EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        erlPort = (await epmdClient.PortPleaseAsync("fuzz_erl"))!.Port;
        using var box = node.CreateMailbox("fuzzbox");
        using var victim = node.CreateMailbox("victim");
        using var victim2 = node.CreateMailbox("victim2");

        // erl connects to us and sends every kind it can start itself.
        await Eval(peer, $"pong = net_adm:ping('{bwName}').");
        await Eval(peer, "register(fuzz_shell, self()).");
        await Eval(peer, $"{{fuzzbox, '{bwName}'}} ! {{hello, [1, 2, 3], <<\"bin\">>, #{{a => 1}}, 3.5, -7, 1 bsl 70, \"text\", {{}}}}, ok.");  // REG_SEND
        await Eval(peer, $"P = rpc:call('{bwName}', erlang, whereis, [fuzzbox]), true = is_pid(P).");                                         // SPAWN_REQUEST (erpc)
        await Eval(peer, "P ! {plain, self(), make_ref(), fun lists:reverse/1, <<1:3>>}, ok.");                                                 // SEND_SENDER
        await Eval(peer, "P ! {big, binary:copy(<<\"0123456789abcdef\">>, 5000)}, ok.");                                                       // fragments (80 KB)
        await Eval(peer, "true = link(P), true = unlink(P).");                                                                                 // LINK, UNLINK_ID
        await Eval(peer, "M = erlang:monitor(process, P), true = erlang:demonitor(M).");                                                      // MONITOR_P, DEMONITOR_P
        await Eval(peer, $"M2 = erlang:monitor(process, {{fuzzbox, '{bwName}'}}), true = erlang:demonitor(M2).");
        await Eval(peer, "true = group_leader(self(), P).");                                                                                  // GROUP_LEADER
        await Eval(peer, $"V = rpc:call('{bwName}', erlang, whereis, [victim]), true = exit(V, {{shutdown, lists:seq(1, 5)}}).");             // PAYLOAD_EXIT2
        await Eval(peer, $"V2 = rpc:call('{bwName}', erlang, whereis, [victim2]), _ = spawn(fun() -> link(V2), exit(boom) end), ok.");        // PAYLOAD_EXIT
        box.Send("fuzz_shell", erlName, new ErlangTuple(ErlangAtom.Get("alias"), box.CreateAlias()));
        await Eval(peer, "receive {alias, A} -> A ! via_alias, ok after 10000 -> timeout end.");                                             // ALIAS_SEND
        await Eval(peer, "P ! done, ok.");
        await box.ReceiveAsync(m => m is ErlangAtom { Name: "done" }, TimeSpan.FromSeconds(30));
        await box.ReceiveAsync(m => m is ErlangAtom { Name: "via_alias" }, TimeSpan.FromSeconds(30));
        await victim.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        await victim2.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        await Eval(peer, $"true = erlang:disconnect_node('{bwName}').");
        Assert.True(await TestNodes.EventuallyAsync(() => node.Connections.Get(NodeName.Parse(erlName)) is null, TimeSpan.FromSeconds(30)));

        // We connect to erl and make it answer: spawn replies, a link's exit and a monitor's DOWN.
        Assert.Equal(PingResult.Pong, await node.PingAsync(erlName, TimeSpan.FromSeconds(30)));
        await Eval(peer, "W = spawn(fun() -> receive stop -> exit({stopped, <<\"why\">>}) end end), register(fuzz_victim, W), ok.");
        var w = (ErlangPid)await node.RpcAsync(erlName, "erlang", "whereis", [ErlangAtom.Get("fuzz_victim")], TimeSpan.FromSeconds(30));
        using var watcher = node.CreateMailbox();
        watcher.TrapExit = true;
        watcher.Link(w);
        watcher.Monitor(w);
        await Eval(peer, "true = erlang:is_process_alive(W).");
        watcher.Send(w, ErlangAtom.Get("stop"));
        await watcher.ReceiveAsync(m => m is ErlangTuple { Count: 3 } t && t[0] is ErlangAtom { Name: "EXIT" }, TimeSpan.FromSeconds(30));
        await watcher.ReceiveAsync(m => m is ErlangTuple { Count: 5 } t && t[0] is ErlangAtom { Name: "DOWN" }, TimeSpan.FromSeconds(30));
        var (spawned, reqId) = await watcher.SpawnRemoteAsync(erlName, "timer", "sleep", [ErlangInteger.Create(10)], monitor: true, timeout: TimeSpan.FromSeconds(30)); // SPAWN_REPLY
        await watcher.ReceiveAsync(m => m is ErlangTuple { Count: 5 } t && t[1].Equals(reqId), TimeSpan.FromSeconds(30));
        Assert.Equal(erlName, spawned.Node.Name);
        await node.DisposeAsync();

        var inConnections = inbound.Connections;
        var outConnections = outbound.Connections;
        Assert.Single(inConnections);
        Assert.Single(outConnections);
        var fromInitiator = inConnections[0].FromClient;
        var fromAcceptor = outConnections[0].FromServer;

        // erl as the initiator: send_name, challenge_reply, then frames.
        var initiatorPackets = WireStreams.HandshakePackets(fromInitiator, 2, out var initiatorEnd);
        Assert.Equal(2, initiatorPackets.Count);
        Assert.Equal(erlName, HandshakeMessages.DecodeName(initiatorPackets[0]).Name);
        HandshakeMessages.DecodeChallengeReply(initiatorPackets[1]);
        // erl as the acceptor: status, challenge, challenge_ack, then frames.
        var acceptorPackets = WireStreams.HandshakePackets(fromAcceptor, 3, out var acceptorEnd);
        Assert.Equal(3, acceptorPackets.Count);
        Assert.Equal(HandshakeStatus.Ok, HandshakeMessages.DecodeStatus(acceptorPackets[0], out _));
        Assert.Equal(erlName, HandshakeMessages.DecodeChallenge(acceptorPackets[1]).Name);
        HandshakeMessages.DecodeChallengeAck(acceptorPackets[2]);

        var framesIn = WireStreams.Frames(fromInitiator.AsSpan(initiatorEnd));
        var framesOut = WireStreams.Frames(fromAcceptor.AsSpan(acceptorEnd));
        var ops = new SortedSet<string>(StringComparer.Ordinal);
        var (reassembled, cached) = DecodeAll(framesIn, ops);
        var (reassembled2, cached2) = DecodeAll(framesOut, ops);
        output.WriteLine($"{release}: {framesIn.Count} + {framesOut.Count} frames, kinds {string.Join(" ", ops)}, {reassembled + reassembled2} reassembled, {cached + cached2} atom cache entries");
        foreach (var kind in new[] { "REG_SEND", "SEND_SENDER", "SPAWN_REQUEST", "LINK", "UNLINK_ID", "MONITOR_P", "DEMONITOR_P", "GROUP_LEADER",
                     "PAYLOAD_EXIT2", "PAYLOAD_EXIT", "ALIAS_SEND", "SPAWN_REPLY", "PAYLOAD_MONITOR_P_EXIT" })
            Assert.Contains(kind, ops);
        Assert.True(reassembled + reassembled2 > 0, "erl sent the 80 KB message in fragments");
        Assert.True(cached + cached2 > 0, "erl used the distribution header's atom cache");

        var r = FuzzCorpus.ReleaseName(release);
        Write(InitiatorFile, r, [new CorpusEntry(r, erlName, WireStreams.Join(initiatorPackets))]);
        Write(AcceptorFile, r, [new CorpusEntry(r, erlName, WireStreams.Join(acceptorPackets))]);
        Write(FramesFile, r, [new CorpusEntry(r, "erl_connected", Reframe(framesIn)), new CorpusEntry(r, "we_connected", Reframe(framesOut))]);
    }

    private static (long Reassembled, long Cached) DecodeAll(List<byte[]> frames, SortedSet<string> ops)
    {
        using var decoder = new FrameDecoder(FrameFuzzTarget.Options, 1 << 20, 64);
        foreach (var f in frames)
            if (decoder.TryDecode(f, out var control, out var payload))
                ops.Add(ControlDecoder.Decode(control, payload).Name);
        return (decoder.ReassembledMessages, decoder.AtomCacheEntries);
    }

    internal static byte[] Reframe(IEnumerable<byte[]> frames) => WireStreams.JoinFrames(frames);

    private static void Write(string file, string release, IEnumerable<CorpusEntry> entries)
    {
        if (FuzzCorpus.WriteTarget("Beamwire.Node.Tests", file) is { } path) FuzzCorpus.Write(path, Header, release, entries);
    }

    private static async Task Eval(ErlangPeer peer, string expression)
    {
        var r = await peer.EvalAsync(expression, TimeSpan.FromSeconds(30));
        Assert.True(r.Ok, $"{expression} raised: {r.Text}\n{peer.Output}");
    }
}
