using Beamwire.Node.Tests.Support;
using Beamwire.Testing;
using Xunit;

namespace Beamwire.Node.Tests.Interop;

public class PingTests
{
    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Erl_pings_beamwire_and_beamwire_pings_erl(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        var log = new CapturingLogger();
        await using var node = await TestNodes.StartAsync(epmd.Port, log: log);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port, Cookie = TestNodes.Cookie });
        Assert.Equal("pong", await peer.EvalTextAsync($"net_adm:ping('{node.Self}')."));
        Assert.Equal(PingResult.Pong, await node.PingAsync(peer.NodeName));
        Assert.Equal($"[{node.Self}]", await peer.EvalTextAsync("nodes()."));
        Assert.Contains(node.Nodes(), n => n.Full == peer.NodeName);
    }
}
