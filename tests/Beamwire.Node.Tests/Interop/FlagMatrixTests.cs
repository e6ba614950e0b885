using System.Net.Sockets;
using Beamwire.Epmd;
using Beamwire.Node.Handshake;
using Beamwire.Node.Tests.Support;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>
/// Proves the OTP matrix catches what only newer releases enforce: OTP 26 made UNLINK_ID (and V4_NC)
/// mandatory. A handshake that withholds UNLINK_ID is accepted by a real OTP 25 node and refused by
/// real OTP 27 and 29 nodes, while our full flag set is accepted by all three.
/// </summary>
public class FlagMatrixTests
{
    private static async Task<HandshakeResult> HandshakeAsync(int epmdPort, ErlangPeer peer, DistributionFlags flags)
    {
        var peerName = NodeName.Parse(peer.NodeName);
        var info = await new EpmdClient("127.0.0.1", epmdPort).PortPleaseAsync(peer.NodeName.Split('@')[0]);
        Assert.NotNull(info);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", info.Port);
        await using var stream = tcp.GetStream();
        var pipe = DuplexPipe.Over(stream);
        var self = NodeName.Parse(TestHost.UniqueName("flags") + "@" + TestHost.ShortName);
        var settings = new HandshakeSettings(self, 7, flags, _ => TestNodes.Cookie, TimeSpan.FromSeconds(10), NodeNameMode.ShortNames);
        return await new HandshakeInitiator(settings, new TestArbiter(), new CapturingLogger())
            .RunAsync(pipe, peerName, new object(), CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Full_flag_set_is_accepted(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        var result = await HandshakeAsync(epmd.Port, peer, FlagSets.Advertised | DistributionFlags.Published);
        Assert.Equal(peer.NodeName, result.Peer.Full);
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Withholding_UNLINK_ID_is_refused_from_OTP_26_on(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        var broken = (FlagSets.Advertised | DistributionFlags.Published) & ~DistributionFlags.UnlinkId;
        if (release == OtpRelease.Otp25)
        {
            var result = await HandshakeAsync(epmd.Port, peer, broken);
            Assert.Equal(peer.NodeName, result.Peer.Full);
        }
        else
        {
            // OTP 26+ answers the name message with status not_allowed and logs why: the one flag withheld.
            var refused = await Assert.ThrowsAsync<HandshakeException>(() => HandshakeAsync(epmd.Port, peer, broken));
            Assert.Equal(HandshakeStatus.NotAllowed, refused.Status);
            await peer.WaitForOutputAsync("rejected since it cannot handle [\"UNLINK_ID\"]", TimeSpan.FromSeconds(30));
            // With the flag, the same peer takes the same handshake.
            var result = await HandshakeAsync(epmd.Port, peer, FlagSets.Advertised | DistributionFlags.Published);
            Assert.Equal(peer.NodeName, result.Peer.Full);
        }
    }
}
