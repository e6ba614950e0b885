using System.Numerics;
using CsCheck;

namespace Beamwire.Terms.Tests.Support;

/// <summary>CsCheck generators of Erlang terms, weighted towards the edges of every encoding.</summary>
internal static class TermGen
{
    private static readonly string[] AtomPool =
        ["ok", "error", "a", "zeta", "alpha", "true", "false", "nil", "undefined", "'quoted atom'", "Caps", "π", "日本", "emoji😀", "", "a@b", "with space", "tab\there"];

    private static readonly ErlangAtom[] Nodes = [ErlangAtom.Get("x@y"), ErlangAtom.Get("beamwire@host"), ErlangAtom.Get("日本@host"), ErlangAtom.NoNode];

    public static readonly Gen<ErlangTerm> Integer = Gen.Frequency(
        (4, Gen.Int[0, 255].Select(i => (ErlangTerm)ErlangInteger.Create(i))),
        (3, Gen.Int.Select(i => (ErlangTerm)ErlangInteger.Create(i))),
        (3, Gen.Long.Select(l => (ErlangTerm)ErlangInteger.Create(l))),
        (2, Gen.OneOfConst<long>(0, 255, 256, -1, int.MaxValue, int.MinValue, int.MaxValue + 1L, int.MinValue - 1L, long.MaxValue, long.MinValue, long.MinValue + 1)
            .Select(l => (ErlangTerm)ErlangInteger.Create(l))),
        (2, Gen.Select(Gen.Byte.Array[9, 40], Gen.Bool, (bytes, negative) =>
        {
            var v = new BigInteger(bytes, isUnsigned: true);
            return ErlangInteger.Create(negative ? -v : v);
        })),
        (1, Gen.Select(Gen.Int[2039, 2100], Gen.Bool, (bits, negative) =>
            ErlangInteger.Create((negative ? -1 : 1) * (BigInteger.Pow(2, bits) - 3)))));

    // Random terms never hold -0.0: OTP 25 takes 0.0 and -0.0 (and so {0.0} and {-0.0}, ...) as one map
    // key and refuses a map holding both, while OTP 27+ keeps them apart. -0.0 is covered by EdgeCases.
    public static readonly Gen<ErlangTerm> Float = Gen.Frequency(
        (4, Gen.Double.Where(double.IsFinite).Select(d => (ErlangTerm)new ErlangFloat(d == 0 ? 0.0 : d))),
        (2, Gen.Int[-1000, 1000].Select(i => (ErlangTerm)new ErlangFloat(i / 8.0))),
        (1, Gen.OneOfConst(0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 1e-300, 0.1, 1e22, 9007199254740992.0)
            .Select(d => (ErlangTerm)new ErlangFloat(d))));

    private static readonly Gen<string> AtomName = Gen.Frequency(
        (4, Gen.OneOfConst(AtomPool)),
        (3, Gen.Char["abcdefghijklmnopqrstuvwxyzABCZ_@0129 '\"\\\n"].Array[0, 12].Select(c => new string(c))),
        (2, Gen.Char["aπé日ßÿ€😀"[..^2] + "Ωж"].Array[1, 8].Select(c => new string(c))),
        (1, Gen.Int[200, 255].Select(n => new string('π', n))));

    public static readonly Gen<ErlangTerm> Atom = AtomName.Select(n => (ErlangTerm)ErlangAtom.Get(n));

    public static readonly Gen<ErlangTerm> Binary = Gen.Frequency(
        (6, Gen.Byte.Array[0, 40].Select(b => (ErlangTerm)new ErlangBinary(b))),
        (2, Gen.String.Select(s => (ErlangTerm)ErlangBinary.FromUtf8(s))),
        (1, Gen.Byte.Array[200, 1000].Select(b => (ErlangTerm)new ErlangBinary(b))));

    public static readonly Gen<ErlangTerm> BitString =
        Gen.Select(Gen.Byte.Array[1, 6], Gen.Int[1, 7], (b, bits) => (ErlangTerm)new ErlangBitString(b, bits));

    public static readonly Gen<ErlangTerm> ByteList = Gen.Frequency(
        (3, Gen.Byte.Array[1, 30].Select(b => (ErlangTerm)new ErlangString(b))),
        (2, Gen.Byte.Array[1, 30].Select(b => (ErlangTerm)new ErlangList(b.Select(x => (ErlangTerm)ErlangInteger.Create(x)).ToArray()))));

    private static readonly Gen<ErlangAtom> Node = Gen.OneOfConst(Nodes);

    public static readonly Gen<ErlangTerm> Identifier = Gen.OneOf(
        Gen.Select(Node, Gen.UInt, Gen.UInt, Gen.UInt, (n, id, serial, creation) => (ErlangTerm)new ErlangPid(n, id, serial, creation)),
        Gen.Select(Node, Gen.Frequency((3, Gen.UInt[0, 0x0FFF_FFFF].Select(u => (ulong)u)), (1, Gen.ULong)), Gen.UInt, (n, id, creation) => (ErlangTerm)new ErlangPort(n, id, creation)),
        Gen.Select(Node, Gen.UInt, Gen.UInt.Array[1, 5], (n, creation, ids) => (ErlangTerm)new ErlangReference(n, creation, ids)),
        Gen.Select(AtomName, AtomName, Gen.Int[0, 255], (m, f, a) => (ErlangTerm)new ErlangExport(ErlangAtom.Get(m), ErlangAtom.Get(f), a)));

    public static readonly Gen<ErlangTerm> Leaf = Gen.Frequency(
        (5, Integer), (2, Float), (4, Atom), (3, Binary), (1, BitString), (2, ByteList), (2, Identifier),
        (1, Gen.OneOfConst<ErlangTerm>(ErlangList.Nil, ErlangTuple.Empty, ErlangMap.Empty, ErlangBinary.Empty)));

    /// <summary>Any term, nesting up to <paramref name="maxDepth"/> containers deep.</summary>
    public static Gen<ErlangTerm> Term(int maxDepth = 4) => Gen.Recursive<ErlangTerm>((depth, self) =>
        depth >= maxDepth
            ? Leaf
            : Gen.Frequency(
                (8, Leaf),
                (2, self.Array[0, 6].Select(e => (ErlangTerm)new ErlangTuple(e))),
                (2, self.Array[1, 6].Select(e => (ErlangTerm)new ErlangList(e))),
                (1, Gen.Select(self.Array[1, 4], self, (e, tail) => (ErlangTerm)new ErlangList(e, tail is ErlangList or ErlangString ? ErlangAtom.Get("tail") : tail))),
                (2, Gen.Select(self, self).Array[0, 8].Select(kvs => (ErlangTerm)new ErlangMap(kvs.Select(kv => new KeyValuePair<ErlangTerm, ErlangTerm>(kv.Item1, kv.Item2))))),
                (1, Gen.Select(Gen.Int[33, 40], Leaf, (n, v) => (ErlangTerm)new ErlangMap(Enumerable.Range(0, n).Select(i => new KeyValuePair<ErlangTerm, ErlangTerm>(i % 2 == 0 ? ErlangInteger.Create(i) : ErlangAtom.Get("k" + i), v)))))));

    /// <summary>Hand-picked edges: deep nesting, huge and empty things, boundaries. (Huge things stay out of
    /// the random generator, which would nest them into terms of hundreds of megabytes.)</summary>
    public static IEnumerable<ErlangTerm> EdgeCases()
    {
        ErlangTerm deepTuple = ErlangAtom.Ok, deepList = ErlangList.Nil, deepMap = 1;
        for (int i = 0; i < 200; i++)
        {
            deepTuple = new ErlangTuple(deepTuple, i);
            deepList = new ErlangList(deepList);
            deepMap = new ErlangMap(new KeyValuePair<ErlangTerm, ErlangTerm>(ErlangAtom.Get("k"), deepMap));
        }

        yield return deepTuple;
        yield return deepList;
        yield return deepMap;
        foreach (long v in new long[] { 0, 255, 256, -1, -255, -256, int.MaxValue, int.MinValue, int.MaxValue + 1L, int.MinValue - 1L, long.MaxValue, long.MinValue, uint.MaxValue })
            yield return ErlangInteger.Create(v);
        yield return ErlangInteger.Create(new BigInteger(ulong.MaxValue));
        yield return ErlangInteger.Create(-new BigInteger(ulong.MaxValue) - 1);
        yield return ErlangInteger.Create(-BigInteger.Pow(2, 2040));
        yield return ErlangInteger.Create(BigInteger.Pow(2, 2039) * 255);
        yield return new ErlangFloat(-0.0);
        yield return new ErlangFloat(0.0);
        yield return new ErlangFloat(double.Epsilon);
        yield return new ErlangFloat(double.MaxValue);
        yield return ErlangBinary.Empty;
        yield return new ErlangBinary(new byte[1 << 20]);
        yield return new ErlangBitString(new byte[] { 0x80 }, 1);
        yield return new ErlangBitString(new byte[] { 1, 2, 0xFE }, 7);
        yield return ErlangAtom.Get(new string('π', 255));
        yield return ErlangAtom.Get("😀😀");
        yield return new ErlangList([1, 2, 3], ErlangBinary.FromUtf8("tail"));
        yield return new ErlangList([ErlangAtom.Get("alias")], new ErlangReference(ErlangAtom.Get("x@y"), 1, [1u, 2u, 3u]));
        yield return new ErlangMap(
            new(new ErlangMap(new KeyValuePair<ErlangTerm, ErlangTerm>(1, 2)), new ErlangMap(new KeyValuePair<ErlangTerm, ErlangTerm>(1.0, 2))),
            new(new ErlangTuple(1, 1.0), 1), new(new ErlangTuple(1.0, 1), 2), new(1, 3), new(1.0, 4), new(0, 6), new(0.0, 7));
        // -0.0 and 0.0 are one map key on OTP 25 and two on OTP 27+: keep them apart.
        yield return new ErlangMap(new KeyValuePair<ErlangTerm, ErlangTerm>(-0.0, 5));
        yield return new ErlangString(new string('a', 65535));
        yield return new ErlangString(new string('a', 65536));
        yield return new ErlangPid(ErlangAtom.Get("x@y"), uint.MaxValue, uint.MaxValue, uint.MaxValue);
        yield return new ErlangPort(ErlangAtom.Get("x@y"), ulong.MaxValue, 1);
        yield return new ErlangPort(ErlangAtom.Get("x@y"), 0x0FFF_FFFF, 1);
        yield return new ErlangPort(ErlangAtom.Get("x@y"), 0x1000_0000, 1);
        for (int n = 1; n <= 5; n++) yield return new ErlangReference(ErlangAtom.Get("x@y"), 9, Enumerable.Range(1, n).Select(i => (uint)i * 0x01010101u).ToArray());
        yield return new ErlangTuple(Enumerable.Range(0, 300).Select(i => (ErlangTerm)i).ToArray());
        yield return new ErlangList(Enumerable.Range(0, 70_000).Select(i => (ErlangTerm)(i % 300)).ToArray());
    }
}
