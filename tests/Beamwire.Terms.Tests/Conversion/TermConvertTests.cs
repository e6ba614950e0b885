using System.Numerics;
using Xunit;
using static Beamwire.Terms.Tests.Support.T;

namespace Beamwire.Terms.Tests.Conversion;

public class TermConvertTests
{
    [Fact]
    public void Plain_values_become_the_terms_Erlang_would_use()
    {
        Assert.Equal((ErlangTerm)42, TermConvert.FromObject(42));
        Assert.Equal(ErlangInteger.Create(BigInteger.Parse("18446744073709551615", System.Globalization.CultureInfo.InvariantCulture)), TermConvert.FromObject(ulong.MaxValue));
        Assert.Equal((ErlangTerm)1.5, TermConvert.FromObject(1.5));
        Assert.Equal(ErlangAtom.True, TermConvert.FromObject(true));
        Assert.Equal(ErlangBinary.FromUtf8("héllo"), TermConvert.FromObject("héllo"));
        Assert.Equal(Bin(1, 2), TermConvert.FromObject(new byte[] { 1, 2 }));
        Assert.Equal(Tup(A("ok"), 1, ErlangBinary.FromUtf8("x")), TermConvert.FromObject((ErlangAtom.Ok, 1, "x")));
        Assert.Equal(L(1, 2, 3), TermConvert.FromObject(new List<int> { 1, 2, 3 }));
        Assert.Equal(ErlangList.Nil, TermConvert.FromObject(Array.Empty<int>()));
        Assert.Equal(Map(KV(ErlangBinary.FromUtf8("a"), L(1))), TermConvert.FromObject(new Dictionary<string, int[]> { ["a"] = [1] }));
    }

    [Fact]
    public void Ambiguous_plain_values_are_refused_with_a_way_out()
    {
        Assert.Contains("Undefined", Assert.Throws<TermConversionException>(() => TermConvert.FromObject(null)).Message, StringComparison.Ordinal);
        Assert.Contains("double", Assert.Throws<TermConversionException>(() => TermConvert.FromObject(1.5m)).Message, StringComparison.Ordinal);
        Assert.Contains("int or string", Assert.Throws<TermConversionException>(() => TermConvert.FromObject('x')).Message, StringComparison.Ordinal);
        Assert.Throws<TermConversionException>(() => TermConvert.FromObject(double.NaN));
        Assert.Throws<TermConversionException>(() => TermConvert.FromObject(new object()));
    }

    [Fact]
    public void Terms_read_back_as_plain_values()
    {
        Assert.Equal(42, TermConvert.ToInt32(42));
        Assert.Equal(long.MinValue, TermConvert.ToInt64(long.MinValue));
        Assert.Equal(BigInteger.Pow(2, 100), TermConvert.ToBigInteger(ErlangInteger.Create(BigInteger.Pow(2, 100))));
        Assert.Equal(3.0, TermConvert.ToDouble(3));
        Assert.Equal(2.5, TermConvert.ToDouble(2.5));
        Assert.True(TermConvert.ToBoolean(ErlangAtom.True));
        Assert.Equal("héllo", TermConvert.ToStringValue(ErlangBinary.FromUtf8("héllo")));
        Assert.Equal("héllo", TermConvert.ToStringValue(new ErlangString("héllo")));
        Assert.Equal("π!", TermConvert.ToStringValue(TermConvert.ToCharlist("π!")));
        Assert.Equal("", TermConvert.ToStringValue(ErlangList.Nil));
        Assert.Equal([1, 2], TermConvert.ToBytes(Bin(1, 2)));
        Assert.Equal([1L, 2L], TermConvert.ToList(L(1, 2), TermConvert.ToInt64));
        Assert.Equal([97L, 98L], TermConvert.ToList(new ErlangString("ab"), TermConvert.ToInt64));
        var dict = TermConvert.ToDictionary(Map(KV(ErlangBinary.FromUtf8("a"), 1)), TermConvert.ToStringValue, TermConvert.ToInt32);
        Assert.Equal(1, dict["a"]);
    }

    [Fact]
    public void Terms_without_that_value_are_refused_clearly()
    {
        Assert.Contains("fit in an int", Assert.Throws<TermConversionException>(() => TermConvert.ToInt32(1L << 40)).Message, StringComparison.Ordinal);
        Assert.Contains("ToBigInteger", Assert.Throws<TermConversionException>(() => TermConvert.ToInt64(ErlangInteger.Create(BigInteger.Pow(2, 64)))).Message, StringComparison.Ordinal);
        Assert.Contains("Expected an integer, got 1.5", Assert.Throws<TermConversionException>(() => TermConvert.ToInt64(1.5)).Message, StringComparison.Ordinal);
        Assert.Contains("no exact double", Assert.Throws<TermConversionException>(() => TermConvert.ToDouble((1L << 60) + 1)).Message, StringComparison.Ordinal);
        Assert.Contains("ErlangAtom.Name", Assert.Throws<TermConversionException>(() => TermConvert.ToStringValue(A("abc"))).Message, StringComparison.Ordinal);
        Assert.Contains("ToBytes", Assert.Throws<TermConversionException>(() => TermConvert.ToStringValue(Bin(0xFF))).Message, StringComparison.Ordinal);
        Assert.Throws<TermConversionException>(() => TermConvert.ToBoolean(A("yes")));
        Assert.Contains("improper", Assert.Throws<TermConversionException>(() => TermConvert.ToList(new ErlangList([1], 2))).Message, StringComparison.Ordinal);
        Assert.Throws<TermConversionException>(() => TermConvert.ToBytes(new ErlangBitString(new byte[] { 0x80 }, 1)));
        Assert.Contains("same .NET key", Assert.Throws<TermConversionException>(() =>
            TermConvert.ToDictionary(Map(KV(ErlangBinary.FromUtf8("a"), 1), KV(new ErlangString("a"), 2)), TermConvert.ToStringValue, TermConvert.ToInt32)).Message, StringComparison.Ordinal);
    }
}
