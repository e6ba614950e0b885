using System.Numerics;

namespace Beamwire.Terms.Ordering;

/// <summary>
/// Exact equality (<c>=:=</c>) and the matching hash. Two representations of one term are equal:
/// an <see cref="ErlangInteger"/> and an <see cref="ErlangBigInteger"/> of the same value, and an
/// <see cref="ErlangString"/> and the <see cref="ErlangList"/> of its bytes.
/// </summary>
internal static class TermEquality
{
    public static bool AreEqual(ErlangTerm a, ErlangTerm b)
    {
        if (ReferenceEquals(a, b)) return true;
        switch (a.Kind)
        {
            case TermKind.Integer:
                return b.Kind switch
                {
                    TermKind.Integer => ((ErlangInteger)a).Value == ((ErlangInteger)b).Value,
                    TermKind.BigInteger => ((ErlangBigInteger)b).Value == ((ErlangInteger)a).Value,
                    _ => false,
                };
            case TermKind.BigInteger:
                return b.Kind switch
                {
                    TermKind.Integer => ((ErlangBigInteger)a).Value == ((ErlangInteger)b).Value,
                    TermKind.BigInteger => ((ErlangBigInteger)a).Value == ((ErlangBigInteger)b).Value,
                    _ => false,
                };
            case TermKind.Float:
                // Bitwise: -0.0 and 0.0 are different terms (OTP 27+); NaN cannot occur.
                return b.Kind == TermKind.Float
                    && BitConverter.DoubleToInt64Bits(((ErlangFloat)a).Value) == BitConverter.DoubleToInt64Bits(((ErlangFloat)b).Value);
            case TermKind.Atom:
                return b.Kind == TermKind.Atom && string.Equals(((ErlangAtom)a).Name, ((ErlangAtom)b).Name, StringComparison.Ordinal);
            case TermKind.Binary:
                return b.Kind == TermKind.Binary && ((ErlangBinary)a).Bytes.Span.SequenceEqual(((ErlangBinary)b).Bytes.Span);
            case TermKind.BitString:
                return b is ErlangBitString bb && a is ErlangBitString ab
                    && ab.BitsInLastByte == bb.BitsInLastByte && ab.Bytes.Span.SequenceEqual(bb.Bytes.Span);
            case TermKind.Tuple:
                return b.Kind == TermKind.Tuple && SequenceEqual(((ErlangTuple)a).Elements, ((ErlangTuple)b).Elements);
            case TermKind.List:
            case TermKind.String:
                return (b.Kind is TermKind.List or TermKind.String) && ListsEqual(a, b);
            case TermKind.Map:
                return b.Kind == TermKind.Map && MapsEqual((ErlangMap)a, (ErlangMap)b);
            case TermKind.Pid:
                return b is ErlangPid pb && a is ErlangPid pa
                    && pa.Id == pb.Id && pa.Serial == pb.Serial && pa.Creation == pb.Creation && AreEqual(pa.Node, pb.Node);
            case TermKind.Port:
                return b is ErlangPort qb && a is ErlangPort qa
                    && qa.Id == qb.Id && qa.Creation == qb.Creation && AreEqual(qa.Node, qb.Node);
            case TermKind.Reference:
                return b is ErlangReference rb && a is ErlangReference ra
                    && ra.Creation == rb.Creation && ra.IdArray.AsSpan().SequenceEqual(rb.IdArray) && AreEqual(ra.Node, rb.Node);
            case TermKind.Export:
                return b is ErlangExport eb && a is ErlangExport ea
                    && ea.Arity == eb.Arity && AreEqual(ea.Module, eb.Module) && AreEqual(ea.Function, eb.Function);
            case TermKind.Fun:
                return b is ErlangFun fb && a is ErlangFun fa
                    && fa.Arity == fb.Arity && fa.Index == fb.Index && fa.Uniq.SequenceEqual(fb.Uniq)
                    && AreEqual(fa.Module, fb.Module) && AreEqual(fa.OldIndex, fb.OldIndex) && AreEqual(fa.OldUniq, fb.OldUniq)
                    && AreEqual(fa.Pid, fb.Pid) && SequenceEqual(fa.FreeVars, fb.FreeVars);
            default:
                return false;
        }
    }

    private static bool SequenceEqual(ReadOnlySpan<ErlangTerm> a, ReadOnlySpan<ErlangTerm> b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if (!AreEqual(a[i], b[i])) return false;
        return true;
    }

    private static bool ListsEqual(ErlangTerm a, ErlangTerm b)
    {
        if (a is ErlangString sa && b is ErlangString sb) return sa.Bytes.Span.SequenceEqual(sb.Bytes.Span);
        if (a is ErlangString s1) return StringEqualsList(s1, (ErlangList)b);
        if (b is ErlangString s2) return StringEqualsList(s2, (ErlangList)a);
        var la = (ErlangList)a;
        var lb = (ErlangList)b;
        if (la.Count != lb.Count) return false;
        if (la.Count == 0) return true;
        return SequenceEqual(la.Elements, lb.Elements) && AreEqual(la.Tail, lb.Tail);
    }

    private static bool StringEqualsList(ErlangString s, ErlangList l)
    {
        var bytes = s.Bytes.Span;
        if (bytes.Length != l.Count) return false;
        if (bytes.Length == 0) return true;
        if (!l.IsProper) return false;
        var elements = l.Elements;
        for (int i = 0; i < bytes.Length; i++)
            if (elements[i] is not ErlangInteger n || n.Value != bytes[i]) return false;
        return true;
    }

    private static bool MapsEqual(ErlangMap a, ErlangMap b)
    {
        if (a.Count != b.Count) return false;
        foreach (var (k, v) in a.Entries)
            if (!b.TryGetValue(k, out var other) || !AreEqual(v, other)) return false;
        return true;
    }

    public static int Hash(ErlangTerm t)
    {
        switch (t.Kind)
        {
            case TermKind.Integer:
                return ((ErlangInteger)t).Value.GetHashCode();
            case TermKind.BigInteger:
                var big = ((ErlangBigInteger)t).Value;
                return big >= long.MinValue && big <= long.MaxValue ? ((long)big).GetHashCode() : big.GetHashCode();
            case TermKind.Float:
                return BitConverter.DoubleToInt64Bits(((ErlangFloat)t).Value).GetHashCode();
            case TermKind.Atom:
                return ((ErlangAtom)t).HashCode;
            case TermKind.Binary:
                return HashBytes(((ErlangBinary)t).Bytes.Span, 0x5bd1e995);
            case TermKind.BitString:
                var bs = (ErlangBitString)t;
                return HashBytes(bs.Bytes.Span, bs.BitsInLastByte);
            case TermKind.Tuple:
                return HashSequence(((ErlangTuple)t).Elements, 0x3c6ef372);
            case TermKind.String:
                var bytes = ((ErlangString)t).Bytes.Span;
                int h = ListSeed;
                foreach (byte b in bytes) h = Mix(h, ((long)b).GetHashCode());
                return Mix(h, NilHash);
            case TermKind.List:
                var list = (ErlangList)t;
                return Mix(HashSequence(list.Elements, ListSeed), list.IsNil ? NilHash : list.IsProper ? NilHash : Hash(list.Tail));
            case TermKind.Map:
                // Order-independent: maps equal whatever order their entries are in.
                int m = 0x7f4a7c15;
                foreach (var (k, v) in ((ErlangMap)t).Entries) m += Mix(Hash(k), Hash(v));
                return m;
            case TermKind.Pid:
                var p = (ErlangPid)t;
                return HashCode.Combine(p.Node.HashCode, p.Id, p.Serial, p.Creation);
            case TermKind.Port:
                var q = (ErlangPort)t;
                return HashCode.Combine(q.Node.HashCode, q.Id, q.Creation);
            case TermKind.Reference:
                var r = (ErlangReference)t;
                int rh = HashCode.Combine(r.Node.HashCode, r.Creation);
                foreach (uint w in r.IdArray) rh = Mix(rh, (int)w);
                return rh;
            case TermKind.Export:
                var e = (ErlangExport)t;
                return HashCode.Combine(e.Module.HashCode, e.Function.HashCode, e.Arity);
            case TermKind.Fun:
                var f = (ErlangFun)t;
                return HashCode.Combine(f.Module.HashCode, f.Index, f.Arity, HashBytes(f.Uniq, 1));
            default:
                return 0;
        }
    }

    private const int ListSeed = 0x1b873593;
    private const int NilHash = 0x2a;

    private static int HashSequence(ReadOnlySpan<ErlangTerm> items, int seed)
    {
        int h = seed;
        foreach (var item in items) h = Mix(h, Hash(item));
        return h;
    }

    private static int HashBytes(ReadOnlySpan<byte> bytes, int seed)
    {
        var hc = new HashCode();
        hc.Add(seed);
        hc.AddBytes(bytes);
        return hc.ToHashCode();
    }

    private static int Mix(int h, int v) => (int)BitOperations.RotateLeft((uint)(h ^ v) * 0x9E3779B1u, 13);
}
