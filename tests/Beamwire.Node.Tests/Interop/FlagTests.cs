using Beamwire.Node.Handshake;
using Beamwire.Node.Tests.Support;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

/// <summary>
/// The flags real OTP insists on: a node that withholds UNLINK_ID is refused by OTP 26+ (27 and 29
/// here) and accepted by OTP 25; the same holds for V4_NC. Proves the matrix tells the generations apart.
/// </summary>
public class FlagTests
{
    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Otp26_and_later_refuse_a_node_without_unlink_id(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var node = await TestNodes.StartAsync(epmd.Port, configure: o => o.WithheldFlags = DistributionFlags.UnlinkId | DistributionFlags.V4NC);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        var result = await node.PingAsync(peer.NodeName);
        if (release == OtpRelease.Otp25)
        {
            Assert.Equal(PingResult.Pong, result);
        }
        else
        {
            Assert.Equal(PingResult.Pang, result);
            await peer.WaitForOutputAsync("UNLINK_ID", TimeSpan.FromSeconds(10));
        }
    }
}
