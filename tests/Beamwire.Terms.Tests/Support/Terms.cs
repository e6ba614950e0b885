namespace Beamwire.Terms.Tests.Support;

/// <summary>Short constructors for expected terms in tests.</summary>
internal static class T
{
    public static ErlangAtom A(string name) => ErlangAtom.Get(name);

    public static ErlangTuple Tup(params ErlangTerm[] e) => new(e);

    public static ErlangList L(params ErlangTerm[] e) => new(e);

    public static ErlangBinary Bin(params byte[] b) => new(b);

    public static KeyValuePair<ErlangTerm, ErlangTerm> KV(ErlangTerm k, ErlangTerm v) => new(k, v);

    public static ErlangMap Map(params KeyValuePair<ErlangTerm, ErlangTerm>[] e) => new(e);

    public static ErlangTerm Big(string decimalText) => ErlangInteger.Create(System.Numerics.BigInteger.Parse(decimalText, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>True when the term has a map anywhere inside (OTP's map byte order is not always reproducible).</summary>
    public static bool ContainsMap(ErlangTerm t) => t switch
    {
        ErlangMap => true,
        ErlangTuple tu => Any(tu.Elements),
        ErlangList l => Any(l.Elements) || (!l.IsProper && ContainsMap(l.Tail)),
        ErlangFun f => Any(f.FreeVars),
        _ => false,
    };

    private static bool Any(ReadOnlySpan<ErlangTerm> items)
    {
        foreach (var i in items)
            if (ContainsMap(i)) return true;
        return false;
    }

    public static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexString(b);
}
