using Beamwire.Testing;
using Xunit;

namespace Beamwire.Terms.Tests.Codec;

public class ErlBytesSmokeTests
{
    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Terms_from_real_erl_decode_and_re_encode_byte_identical(OtpRelease release)
    {
        await using var epmd = await RealEpmd.StartAsync(release);
        await using var peer = await ErlangPeer.StartAsync(new PeerOptions(release) { EpmdPort = epmd.Port });
        var r = await peer.EvalAsync("{ok, self(), make_ref(), [1,2|3], \"abc\", <<1,2,3>>, 1.5, -12345678901234567890, 'π', fun lists:map/2, #{a => 1}, <<1:3>>, hd(erlang:ports())}.");
        Assert.True(r.Ok, r.Text);
        var term = TermDecoder.Decode(r.Etf);
        Assert.Equal(r.Etf, TermEncoder.ToArray(term));
        Assert.Equal(r.Text, term.ToString());
    }
}
