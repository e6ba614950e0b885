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

    /// <summary>The term with every pid, port and reference moved to <paramref name="node"/>/<paramref name="creation"/> (what printed text can carry).</summary>
    public static ErlangTerm Localize(ErlangTerm t, ErlangAtom? node = null, uint creation = 0)
    {
        node ??= ErlangAtom.NoNode;
        return t switch
        {
            ErlangPid p => new ErlangPid(node, p.Id, p.Serial, creation),
            ErlangPort p => new ErlangPort(node, p.Id, creation),
            ErlangReference r => new ErlangReference(node, creation, r.Ids),
            ErlangTuple tu => new ErlangTuple(tu.Elements.ToArray().Select(e => Localize(e, node, creation)).ToArray()),
            ErlangList { IsNil: false } l => new ErlangList(l.Elements.ToArray().Select(e => Localize(e, node, creation)).ToArray(), l.IsProper ? null : Localize(l.Tail, node, creation)),
            ErlangMap m => new ErlangMap(m.Entries.ToArray().Select(kv => new KeyValuePair<ErlangTerm, ErlangTerm>(Localize(kv.Key, node, creation), Localize(kv.Value, node, creation)))),
            _ => t,
        };
    }

    public static string Hex(ReadOnlySpan<byte> b) => Convert.ToHexString(b);
}
