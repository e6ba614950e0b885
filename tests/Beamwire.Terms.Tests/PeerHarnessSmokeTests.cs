using Beamwire.Testing;
using Xunit;

namespace Beamwire.Terms.Tests;

public class PeerHarnessSmokeTests
{
    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Erl_peer_evaluates_expressions(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync();
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port });
        Assert.Equal("2", await peer.EvalTextAsync("1 + 1."));
        Assert.Equal(peer.NodeName, await peer.EvalTextAsync("node()."));
    }
}
