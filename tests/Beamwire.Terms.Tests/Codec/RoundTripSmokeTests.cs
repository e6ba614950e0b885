using Xunit;

namespace Beamwire.Terms.Tests.Codec;

public class RoundTripSmokeTests
{
    public static TheoryData<ErlangTerm> Terms() =>
    [
        ErlangAtom.Ok,
        (ErlangTerm)0, (ErlangTerm)255, (ErlangTerm)256, (ErlangTerm)(-1), (ErlangTerm)int.MaxValue, (ErlangTerm)(int.MaxValue + 1L),
        (ErlangTerm)long.MinValue, (ErlangTerm)long.MaxValue, new ErlangBigInteger(System.Numerics.BigInteger.Pow(2, 300)),
        new ErlangBigInteger(-System.Numerics.BigInteger.Pow(2, 2100)),
        (ErlangTerm)1.5, (ErlangTerm)(-0.0),
        new ErlangTuple(ErlangAtom.Ok, 1, new ErlangList(1, 2, 3), ErlangBinary.FromUtf8("bin")),
        new ErlangList([1, 2], ErlangAtom.Get("tail")),
        new ErlangString("abc"),
        new ErlangMap(new KeyValuePair<ErlangTerm, ErlangTerm>(ErlangAtom.Get("a"), 1), new(new ErlangTuple(ErlangAtom.Get("k"), 2), ErlangList.Nil)),
        new ErlangPid(ErlangAtom.Get("a@b"), 1, 2, 3),
        new ErlangPort(ErlangAtom.Get("a@b"), 1UL << 40, 3),
        new ErlangReference(ErlangAtom.Get("a@b"), 7, [1u, 2u, 3u, 4u, 5u]),
        new ErlangExport(ErlangAtom.Get("lists"), ErlangAtom.Get("map"), 2),
        new ErlangBitString(new byte[] { 0xFF, 0xE0 }, 3),
        ErlangAtom.Get("π"),
    ];

    [Theory]
    [MemberData(nameof(Terms))]
    public void Encode_then_decode_gives_an_equal_term(ErlangTerm term)
    {
        var bytes = TermEncoder.ToArray(term);
        Assert.Equal(bytes.Length, TermEncoder.GetEncodedSize(term));
        var back = TermDecoder.Decode(bytes);
        Assert.Equal(term, back);
        Assert.Equal(term.GetHashCode(), back.GetHashCode());
        Assert.Equal(bytes, TermEncoder.ToArray(back));
    }
}
