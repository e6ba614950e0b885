using System.Numerics;

namespace Beamwire.Terms.Ordering;

/// <summary>
/// Erlang term order: number &lt; atom &lt; reference &lt; fun &lt; port &lt; pid &lt; tuple &lt; map &lt; nil
/// &lt; list &lt; bitstring. Numbers compare by value; where Erlang calls an integer and a float of the same
/// value equal (<c>1 == 1.0</c>), this order puts the integer first so that it agrees with exact equality.
/// Map-key order (<see cref="CompareMapKeys"/>), used to sort map keys and to compare maps, puts every
/// integer before every float, at any depth, as the BEAM does.
/// </summary>
internal static class TermOrder
{
    public static int Compare(ErlangTerm a, ErlangTerm b) => Compare(a, b, exact: false);

    public static int CompareMapKeys(ErlangTerm a, ErlangTerm b) => Compare(a, b, exact: true);

    /// <summary>The position of a term's type in term order.</summary>
    public static int Rank(ErlangTerm t) => t.Kind switch
    {
        TermKind.Integer or TermKind.BigInteger or TermKind.Float => 0,
        TermKind.Atom => 1,
        TermKind.Reference => 2,
        TermKind.Fun or TermKind.Export => 3,
        TermKind.Port => 4,
        TermKind.Pid => 5,
        TermKind.Tuple => 6,
        TermKind.Map => 7,
        TermKind.List => ((ErlangList)t).IsNil ? 8 : 9,
        TermKind.String => ((ErlangString)t).Length == 0 ? 8 : 9,
        _ => 10,
    };

    private static int Compare(ErlangTerm a, ErlangTerm b, bool exact)
    {
        if (ReferenceEquals(a, b)) return 0;
        int ra = Rank(a), rb = Rank(b);
        if (ra != rb) return ra < rb ? -1 : 1;
        switch (ra)
        {
            case 0: return CompareNumbers(a, b, exact);
            case 1: return Sign(((ErlangAtom)a).Utf8.SequenceCompareTo(((ErlangAtom)b).Utf8));
            case 2: return CompareReferences((ErlangReference)a, (ErlangReference)b);
            case 3: return CompareFuns(a, b, exact);
            case 4:
                var qa = (ErlangPort)a;
                var qb = (ErlangPort)b;
                // As the BEAM orders them (checked on OTP 25, 27, 29): node, creation, id.
                return FirstNonZero(Compare(qa.Node, qb.Node), qa.Creation.CompareTo(qb.Creation), qa.Id.CompareTo(qb.Id));
            case 5:
                var pa = (ErlangPid)a;
                var pb = (ErlangPid)b;
                // As the BEAM orders them: serial, id, then node and creation.
                return FirstNonZero(pa.Serial.CompareTo(pb.Serial), pa.Id.CompareTo(pb.Id), Compare(pa.Node, pb.Node), pa.Creation.CompareTo(pb.Creation));
            case 6:
                var ta = ((ErlangTuple)a).Elements;
                var tb = ((ErlangTuple)b).Elements;
                if (ta.Length != tb.Length) return ta.Length < tb.Length ? -1 : 1;
                return CompareSequences(ta, tb, exact);
            case 7: return CompareMaps((ErlangMap)a, (ErlangMap)b, exact);
            case 8: return 0;
            case 9: return CompareLists(a, b, exact);
            default: return CompareBits(a, b);
        }
    }

    private static int CompareNumbers(ErlangTerm a, ErlangTerm b, bool exact)
    {
        bool fa = a.Kind == TermKind.Float, fb = b.Kind == TermKind.Float;
        if (fa && fb)
        {
            double x = ((ErlangFloat)a).Value, y = ((ErlangFloat)b).Value;
            if (x != y) return x < y ? -1 : 1;
            // Only 0.0 and -0.0 tie numerically with different bits: -0.0 first.
            return double.IsNegative(y).CompareTo(double.IsNegative(x));
        }

        if (!fa && !fb)
        {
            if (a.Kind == TermKind.Integer && b.Kind == TermKind.Integer)
                return ((ErlangInteger)a).Value.CompareTo(((ErlangInteger)b).Value);
            return ToBig(a).CompareTo(ToBig(b));
        }

        if (exact) return fa ? 1 : -1;
        int c = fa ? -CompareIntegerWithFloat(ToBig(b), ((ErlangFloat)a).Value) : CompareIntegerWithFloat(ToBig(a), ((ErlangFloat)b).Value);
        return c != 0 ? c : (fa ? 1 : -1);
    }

    private static BigInteger ToBig(ErlangTerm t) =>
        t.Kind == TermKind.Integer ? ((ErlangInteger)t).Value : ((ErlangBigInteger)t).Value;

    // Exact: no rounding of the integer to a double.
    private static int CompareIntegerWithFloat(BigInteger i, double d)
    {
        double floor = Math.Floor(d);
        int c = i.CompareTo(new BigInteger(floor));
        if (c != 0) return c;
        return floor == d ? 0 : -1;
    }

    // As the BEAM orders them: node, creation, number of words, then the words from the most significant.
    private static int CompareReferences(ErlangReference a, ErlangReference b)
    {
        int c = FirstNonZero(Compare(a.Node, b.Node), a.Creation.CompareTo(b.Creation));
        if (c != 0) return c;
        var ia = a.IdArray;
        var ib = b.IdArray;
        if (ia.Length != ib.Length) return ia.Length < ib.Length ? -1 : 1;
        for (int i = ia.Length - 1; i >= 0; i--)
            if (ia[i] != ib[i]) return ia[i] < ib[i] ? -1 : 1;
        return 0;
    }

    private static int CompareFuns(ErlangTerm a, ErlangTerm b, bool exact)
    {
        if (a.Kind != b.Kind) return a.Kind == TermKind.Fun ? -1 : 1;
        if (a is ErlangExport ea && b is ErlangExport eb)
            return FirstNonZero(Compare(ea.Module, eb.Module), Compare(ea.Function, eb.Function), ea.Arity.CompareTo(eb.Arity));
        var fa = (ErlangFun)a;
        var fb = (ErlangFun)b;
        int c = FirstNonZero(Compare(fa.Module, fb.Module), fa.Index.CompareTo(fb.Index), Sign(fa.Uniq.SequenceCompareTo(fb.Uniq)), fa.Arity.CompareTo(fb.Arity));
        if (c != 0) return c;
        if (fa.FreeVars.Length != fb.FreeVars.Length) return fa.FreeVars.Length < fb.FreeVars.Length ? -1 : 1;
        return FirstNonZero(CompareSequences(fa.FreeVars, fb.FreeVars, exact), Compare(fa.Pid, fb.Pid, exact));
    }

    private static int CompareSequences(ReadOnlySpan<ErlangTerm> a, ReadOnlySpan<ErlangTerm> b, bool exact)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            int c = Compare(a[i], b[i], exact);
            if (c != 0) return c;
        }

        return a.Length.CompareTo(b.Length);
    }

    private static int CompareMaps(ErlangMap a, ErlangMap b, bool exact)
    {
        if (a.Count != b.Count) return a.Count < b.Count ? -1 : 1;
        var ea = a.SortedEntries;
        var eb = b.SortedEntries;
        for (int i = 0; i < ea.Length; i++)
        {
            int c = Compare(ea[i].Key, eb[i].Key, exact: true);
            if (c != 0) return c;
        }

        for (int i = 0; i < ea.Length; i++)
        {
            int c = Compare(ea[i].Value, eb[i].Value, exact);
            if (c != 0) return c;
        }

        return 0;
    }

    // Lists compare cell by cell, as cons cells: heads first, then the rests (an improper tail
    // compares with what stands at the same place in the other list).
    private static int CompareLists(ErlangTerm a, ErlangTerm b, bool exact)
    {
        int na = ListCount(a), nb = ListCount(b);
        int n = Math.Min(na, nb);
        for (int i = 0; i < n; i++)
        {
            int c = Compare(ListElement(a, i), ListElement(b, i), exact);
            if (c != 0) return c;
        }

        if (na == nb) return Compare(ListTail(a), ListTail(b), exact);
        // One list ran out: its tail is [] or a non-list, the other still has cells (rank 9).
        return na < nb ? (Rank(ListTail(a)) < 9 ? -1 : 1) : (Rank(ListTail(b)) < 9 ? 1 : -1);
    }

    private static int ListCount(ErlangTerm t) => t is ErlangList l ? l.Count : ((ErlangString)t).Length;

    private static ErlangTerm ListElement(ErlangTerm t, int i) =>
        t is ErlangList l ? l[i] : ErlangInteger.Create(((ErlangString)t).Bytes.Span[i]);

    private static ErlangTerm ListTail(ErlangTerm t) => t is ErlangList l ? l.Tail : ErlangList.Nil;

    private static int CompareBits(ErlangTerm a, ErlangTerm b)
    {
        var ba = BitBytes(a);
        var bb = BitBytes(b);
        long bitsA = BitCount(a), bitsB = BitCount(b);
        long common = Math.Min(bitsA, bitsB);
        int wholeBytes = (int)(common / 8);
        int c = Sign(ba[..wholeBytes].SequenceCompareTo(bb[..wholeBytes]));
        if (c != 0) return c;
        int rest = (int)(common % 8);
        if (rest != 0)
        {
            int mask = 0xFF << (8 - rest) & 0xFF;
            int x = ba[wholeBytes] & mask, y = bb[wholeBytes] & mask;
            if (x != y) return x < y ? -1 : 1;
        }

        return bitsA.CompareTo(bitsB);
    }

    private static ReadOnlySpan<byte> BitBytes(ErlangTerm t) =>
        t is ErlangBinary bin ? bin.Bytes.Span : ((ErlangBitString)t).Bytes.Span;

    private static long BitCount(ErlangTerm t) =>
        t is ErlangBinary bin ? bin.Bytes.Length * 8L : ((ErlangBitString)t).BitLength;

    private static int Sign(int c) => c < 0 ? -1 : c > 0 ? 1 : 0;

    private static int FirstNonZero(int a, int b) => a != 0 ? a : b;

    private static int FirstNonZero(int a, int b, int c) => a != 0 ? a : b != 0 ? b : c;

    private static int FirstNonZero(int a, int b, int c, int d) => a != 0 ? a : b != 0 ? b : c != 0 ? c : d;
}
