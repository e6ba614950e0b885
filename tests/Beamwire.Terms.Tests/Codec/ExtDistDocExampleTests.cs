using Beamwire.Terms.Tests.Support;
using Beamwire.Testing;
using Xunit;
using static Beamwire.Terms.Tests.Support.T;

namespace Beamwire.Terms.Tests.Codec;

/// <summary>
/// The examples printed in the erl_ext_dist documentation, decoded from the documented bytes and
/// checked against what real erl makes of the same terms. (Every tag's own layout is covered by
/// <see cref="TagInteropTests"/>.)
/// </summary>
public class ExtDistDocExampleTests
{
    // "Distribution Header for fragmented messages": sending {call, <0.245.2>, {set_get_state, <<0:1024>>}}
    // to `reg` with fragment size 128. The atom cache refs are: 0 and 1 already cached (the node
    // names), 2 = reg, 3 = call, 4 = set_get_state.
    private static readonly byte[] DocControl = [104, 4, 97, 6, 103, 82, 0, 0, 0, 0, 85, 0, 0, 0, 0, 2, 82, 1, 82, 2];

    private static readonly byte[] DocMessageFragment1 =
        [104, 3, 82, 3, 103, 82, 0, 0, 0, 0, 245, 0, 0, 0, 2, 2, 104, 2, 82, 4, 109, 0, 0, 0, 128, .. new byte[103]];

    private static readonly byte[] DocMessageFragment2 = new byte[25];

    private sealed class DocAtomCache : IAtomCacheResolver
    {
        private static readonly ErlangAtom[] Atoms = [A("n1@host"), A("n2@host"), A("reg"), A("call"), A("set_get_state")];

        public ErlangAtom Resolve(int index) => Atoms[index];
    }

    [Fact]
    public void The_fragmented_message_example_decodes_with_its_atom_cache()
    {
        var control = TermDecoder.DecodeWithoutVersion(DocControl, out int used, atomCache: new DocAtomCache());
        Assert.Equal(DocControl.Length, used);
        Assert.Equal(Tup(6, new ErlangPid(A("n1@host"), 85, 0, 2), A("n2@host"), A("reg")), control);

        byte[] payload = [.. DocMessageFragment1, .. DocMessageFragment2];
        var message = TermDecoder.DecodeWithoutVersion(payload, out used, atomCache: new DocAtomCache());
        Assert.Equal(payload.Length, used);
        Assert.Equal(Tup(A("call"), new ErlangPid(A("n1@host"), 245, 2, 2), Tup(A("set_get_state"), new ErlangBinary(new byte[128]))), message);
    }

    [Theory]
    [MemberData(nameof(OtpReleases.All), MemberType = typeof(OtpReleases))]
    public async Task Real_erl_encodes_the_documented_terms_as_we_do(OtpRelease release)
    {
        byte[] payload = [.. DocMessageFragment1, .. DocMessageFragment2];
        var message = TermDecoder.DecodeWithoutVersion(payload, out _, atomCache: new DocAtomCache());
        await using var session = await PeerSession.StartAsync(release);
        // erl builds the documented message itself: the pid from the documented PID_EXT bytes (node spelled out).
        var erl = await session.EvalEtfAsync(
            "begin P = binary_to_term(<<131,103,119,7,\"n1@host\",245:32,2:32,2>>), " +
            "{term_to_binary({call, P, {set_get_state, <<0:1024>>}}, [{minor_version, 2}]), term_to_binary([a|b], [{minor_version, 2}])} end.");
        var pair = (ErlangTuple)TermDecoder.Decode(erl);
        Assert.Equal(((ErlangBinary)pair[0]).Bytes.ToArray(), TermEncoder.ToArray(message));
        // LIST_EXT's own example: [a|b].
        Assert.Equal(((ErlangBinary)pair[1]).Bytes.ToArray(), TermEncoder.ToArray(new ErlangList([A("a")], A("b"))));
    }
}
