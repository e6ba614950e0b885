using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Beamwire.Node.Handshake;
using Beamwire.Node.Tests.Support;
using Beamwire.Terms;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Connection;

/// <summary>
/// A peer that sends a good frame and a bad one in the same packet: the bad one ends the connection, and
/// the process the good one woke (handed to the reader thread, which is ending) must still run.
/// </summary>
public class BadFrameTests
{
    /// <summary>A pass-through frame (112, then control and message in the external format): valid whatever the flags.</summary>
    private static byte[] PassThroughFrame(ErlangTerm control, ErlangTerm message)
    {
        var body = new ArrayBufferWriter<byte>();
        body.GetSpan(1)[0] = 112;
        body.Advance(1);
        TermEncoder.Encode(body, control);
        TermEncoder.Encode(body, message);
        var frame = new byte[4 + body.WrittenCount];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)body.WrittenCount);
        body.WrittenSpan.CopyTo(frame.AsSpan(4));
        return frame;
    }

    [Fact]
    public async Task A_process_woken_by_the_frame_before_a_bad_one_still_gets_its_message()
    {
        var port = FreePort.Next();
        var log = new CapturingLogger();
        await using var node = await BeamNode.StartAsync(new BeamNodeOptions
        {
            Name = TestHost.UniqueName("bw"), Cookie = TestNodes.Cookie, Epmd = EpmdMode.Disabled,
            ListenAddress = IPAddress.Loopback, ListenPort = port, PeerPort = port,
        }, log);
        using var target = node.CreateMailbox("target");
        var received = target.ReceiveAsync(TimeSpan.FromSeconds(30)).AsTask(); // parked before the frames arrive

        // The peer: a raw socket that does a real handshake (our initiator) and then misbehaves.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var pipe = DuplexPipe.Over(stream);
        var self = NodeName.Parse($"raw_{Guid.NewGuid():N}"[..12] + "@" + node.Self.Host);
        var settings = new HandshakeSettings(self, 7, FlagSets.Advertised | DistributionFlags.Published, _ => TestNodes.Cookie, TimeSpan.FromSeconds(5), NodeNameMode.ShortNames);
        var handshake = await new HandshakeInitiator(settings, new TestArbiter(), log).RunAsync(pipe, node.Self, new object(), default);
        Assert.Equal(node.Self, handshake.Peer);

        // REG_SEND {6, From, '', target} with {hello, 1}, then a frame announcing 4 GiB: one write, so one read.
        var from = new ErlangPid(ErlangAtom.Get(self.Full), 1, 0, 7);
        var good = PassThroughFrame(new ErlangTuple(ErlangInteger.Create(6), from, ErlangAtom.Get(""), ErlangAtom.Get("target")),
            new ErlangTuple(ErlangAtom.Get("hello"), ErlangInteger.Create(1)));
        byte[] bad = [0xFF, 0xFF, 0xFF, 0xFF];
        await socket.SendAsync((byte[])[.. good, .. bad]);

        var message = await received.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("{hello,1}", message.ToString());
        Assert.True(await TestNodes.EventuallyAsync(() => node.Connections.Get(self) is null), "the connection should have gone down");
        Assert.Contains(log.Lines, l => l.Contains("MaxMessageSize", StringComparison.Ordinal));
    }
}
