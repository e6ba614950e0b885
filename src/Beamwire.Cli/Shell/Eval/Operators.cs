using System.Numerics;
using Beamwire.Cli.Shell.Syntax;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Eval;

/// <summary>
/// The operators' meaning, as the BEAM gives it: integers of any size, floats that must stay finite,
/// <c>/</c> always a float, <c>div</c>/<c>rem</c> truncating, comparisons in Erlang's term order
/// (<c>==</c> numeric, <c>=:=</c> exact). Errors are the ones iex and erl print.
/// </summary>
internal static class Operators
{
    /// <summary>Integers larger than this many bits are refused (the BEAM's own limit is far above what a shell needs; this keeps one input from filling memory).</summary>
    private const int MaxIntegerBits = 1 << 20;

    public static ErlangTerm Binary(string op, ErlangTerm a, ErlangTerm b, Dialect dialect) => op switch
    {
        "+" or "-" or "*" or "/" or "div" or "rem" or "**" => Arithmetic(op, a, b, dialect),
        "band" or "bor" or "bxor" or "bsl" or "bsr" => Bitwise(op, a, b, dialect),
        "==" => Bool(TermOrder(a, b) == 0),
        "/=" => Bool(TermOrder(a, b) != 0),
        "=:=" => Bool(a.Equals(b)),
        "=/=" => Bool(!a.Equals(b)),
        "<" => Bool(TermOrder(a, b) < 0),
        "=<" => Bool(TermOrder(a, b) <= 0),
        ">" => Bool(TermOrder(a, b) > 0),
        ">=" => Bool(TermOrder(a, b) >= 0),
        "and" or "or" or "xor" => Strict(op, a, b),
        "++" => Append(a, b),
        "--" => Subtract(a, b),
        "<>" => Concat(a, b),
        _ => throw new ShellError("CompileError", $"the operator {op} is not supported in this shell", $"the operator {op} is not supported in this shell"),
    };

    public static ErlangTerm Unary(string op, ErlangTerm a, Dialect dialect)
    {
        switch (op)
        {
            case "-" when Number(a, out var i, out var f):
                return f is { } d ? new ErlangFloat(-d) : ErlangInteger.Create(-i);
            case "+" when Number(a, out _, out _):
                return a;
            case "bnot" when a is ErlangInteger or ErlangBigInteger:
                return ErlangInteger.Create(-Int(a) - 1);
            case "not" when IsBoolean(a):
                return Bool(a.Equals(ErlangAtom.False));
            case "not":
                throw new ShellError("ArgumentError", "argument error", "bad argument");
            case "!":
                return Bool(!Truthy(a));
            default:
                throw BadArith(dialect, $"{op}({TermDisplay.Elixir(a)})");
        }
    }

    public static bool Truthy(ErlangTerm t) => !(t.Equals(ErlangAtom.False) || t.Equals(ErlangAtom.Nil));

    public static bool IsBoolean(ErlangTerm t) => t.Equals(ErlangAtom.True) || t.Equals(ErlangAtom.False);

    /// <summary>The left side of <c>and</c>/<c>or</c> (Elixir) or <c>andalso</c>/<c>orelse</c> (Erlang) that is not a boolean.</summary>
    public static ShellError BadBoolean(string op, ErlangTerm left, Dialect dialect) => dialect == Dialect.Elixir
        ? new ShellError("BadBooleanError", $"expected a boolean on left-side of \"{(op == "andalso" ? "and" : "or")}\", got: {TermDisplay.Elixir(left)}", "")
        : new ShellError("", "", $"bad argument: {TermDisplay.Erlang(left)}");

    private static ErlangAtom Bool(bool b) => b ? ErlangAtom.True : ErlangAtom.False;

    /// <summary>
    /// Term order as the comparison operators see it: an integer and a float of the same value are equal
    /// (<c>1 == 1.0</c>, at any depth in tuples and lists), where the total order of
    /// <see cref="Beamwire.Terms.Ordering.TermOrder"/> puts the integer first.
    /// </summary>
    private static int TermOrder(ErlangTerm a, ErlangTerm b)
    {
        if (Number(a, out var ia, out var fa) && Number(b, out var ib, out var fb))
        {
            if (fa is null && fb is null) return ia.CompareTo(ib);
            return (fa ?? (double)ia).CompareTo(fb ?? (double)ib);
        }

        if (a is ErlangTuple ta && b is ErlangTuple tb && ta.Count == tb.Count)
        {
            for (var i = 0; i < ta.Count; i++)
                if (TermOrder(ta[i], tb[i]) is var c and not 0) return c;
            return 0;
        }

        if (ProperList(a) is { Count: > 0 } la && ProperList(b) is { Count: > 0 } lb)
        {
            for (var i = 0; i < Math.Min(la.Count, lb.Count); i++)
                if (TermOrder(la[i], lb[i]) is var c and not 0) return c;
            return la.Count.CompareTo(lb.Count);
        }

        return Beamwire.Terms.Ordering.TermOrder.Compare(a, b);
    }

    private static bool Number(ErlangTerm t, out BigInteger i, out double? f)
    {
        (i, f) = (BigInteger.Zero, null);
        switch (t)
        {
            case ErlangInteger n:
                i = n.Value;
                return true;
            case ErlangBigInteger n:
                i = n.Value;
                return true;
            case ErlangFloat n:
                f = n.Value;
                return true;
            default:
                return false;
        }
    }

    private static BigInteger Int(ErlangTerm t) => t is ErlangInteger n ? n.Value : ((ErlangBigInteger)t).Value;

    private static ErlangTerm Arithmetic(string op, ErlangTerm a, ErlangTerm b, Dialect dialect)
    {
        var shown = op is "div" or "rem"
            ? (dialect == Dialect.Elixir ? $"{op}({TermDisplay.Elixir(a)}, {TermDisplay.Elixir(b)})" : $"{TermDisplay.Erlang(a)} {op} {TermDisplay.Erlang(b)}")
            : (dialect == Dialect.Elixir ? $"{TermDisplay.Elixir(a)} {op} {TermDisplay.Elixir(b)}" : $"{TermDisplay.Erlang(a)} {op} {TermDisplay.Erlang(b)}");
        if (!Number(a, out var ia, out var fa) || !Number(b, out var ib, out var fb)) throw BadArith(dialect, shown);
        if (fa is null && fb is null && op != "/")
        {
            switch (op)
            {
                case "+": return Sized(ia + ib, dialect, shown);
                case "-": return Sized(ia - ib, dialect, shown);
                case "*": return Sized(ia * ib, dialect, shown);
                case "div" or "rem" when ib.IsZero: throw BadArith(dialect, shown);
                case "div": return ErlangInteger.Create(BigInteger.Divide(ia, ib));
                case "rem": return ErlangInteger.Create(BigInteger.Remainder(ia, ib));
                case "**" when ib.Sign < 0: throw BadArith(dialect, shown);
                case "**":
                    var bits = (double)ia.GetBitLength() * (double)ib;
                    if (ia.IsZero) return ErlangInteger.Create(ib.IsZero ? 1 : 0);
                    if (ia.IsOne || ia == BigInteger.MinusOne) return ErlangInteger.Create(ib.IsEven ? 1 : ia);
                    if (bits > MaxIntegerBits) throw SystemLimit(dialect);
                    return ErlangInteger.Create(BigInteger.Pow(ia, (int)ib));
            }
        }

        if (op is "div" or "rem") throw BadArith(dialect, shown);
        var x = fa ?? (double)ia;
        var y = fb ?? (double)ib;
        var r = op switch
        {
            "+" => x + y,
            "-" => x - y,
            "*" => x * y,
            "/" when y == 0 => double.NaN,
            "/" => x / y,
            _ => Math.Pow(x, y),
        };
        if (!double.IsFinite(r)) throw BadArith(dialect, shown);
        return new ErlangFloat(r);
    }

    private static ErlangTerm Sized(BigInteger v, Dialect dialect, string shown) =>
        v.GetBitLength() > MaxIntegerBits ? throw SystemLimit(dialect) : ErlangInteger.Create(v);

    private static ErlangTerm Bitwise(string op, ErlangTerm a, ErlangTerm b, Dialect dialect)
    {
        var shown = $"{TermDisplay.Erlang(a)} {op} {TermDisplay.Erlang(b)}";
        if (a is not (ErlangInteger or ErlangBigInteger) || b is not (ErlangInteger or ErlangBigInteger)) throw BadArith(dialect, shown);
        var (x, y) = (Int(a), Int(b));
        switch (op)
        {
            case "band": return ErlangInteger.Create(x & y);
            case "bor": return ErlangInteger.Create(x | y);
            case "bxor": return ErlangInteger.Create(x ^ y);
        }

        // bsl/bsr: a negative shift goes the other way.
        var left = op == "bsl" ? y : -y;
        if (left > MaxIntegerBits) return x.IsZero ? ErlangInteger.Create(0) : throw SystemLimit(dialect);
        if (left < -MaxIntegerBits) left = -MaxIntegerBits - 1;
        return Sized(left >= 0 ? x << (int)left : x >> (int)-left, dialect, shown);
    }

    private static ErlangTerm Strict(string op, ErlangTerm a, ErlangTerm b)
    {
        if (!IsBoolean(a) || !IsBoolean(b)) throw new ShellError("ArgumentError", "argument error", "bad argument");
        var (x, y) = (a.Equals(ErlangAtom.True), b.Equals(ErlangAtom.True));
        return Bool(op switch { "and" => x && y, "or" => x || y, _ => x ^ y });
    }

    private static ErlangTerm Append(ErlangTerm a, ErlangTerm b)
    {
        var left = ProperList(a) ?? throw new ShellError("ArgumentError", "argument error", "bad argument");
        if (left.Count == 0) return b;
        if (ProperList(b) is { } right) return new ErlangList([.. left, .. right]);
        return new ErlangList([.. left], b);
    }

    private static ErlangTerm Subtract(ErlangTerm a, ErlangTerm b)
    {
        var left = ProperList(a);
        var right = ProperList(b);
        if (left is null || right is null) throw new ShellError("ArgumentError", "argument error", "bad argument");
        foreach (var r in right)
        {
            var i = left.FindIndex(x => x.Equals(r));
            if (i >= 0) left.RemoveAt(i);
        }

        return left.Count == 0 ? ErlangList.Nil : new ErlangList([.. left]);
    }

    private static List<ErlangTerm>? ProperList(ErlangTerm t) => t switch
    {
        ErlangString s => [.. s.ToList().Elements.ToArray()],
        ErlangList { IsProper: true } l => [.. l.Elements.ToArray()],
        _ => null,
    };

    private static ErlangBinary Concat(ErlangTerm a, ErlangTerm b)
    {
        if (a is not ErlangBinary x) throw new ShellError("ArgumentError", $"expected binary argument in <> operator but got: {TermDisplay.Elixir(a)}", "bad argument");
        if (b is not ErlangBinary y) throw new ShellError("ArgumentError", $"expected binary argument in <> operator but got: {TermDisplay.Elixir(b)}", "bad argument");
        return new ErlangBinary((byte[])[.. x.Bytes.Span, .. y.Bytes.Span]);
    }

    private static ShellError BadArith(Dialect dialect, string shown) =>
        new("ArithmeticError", "bad argument in arithmetic expression: " + shown, "an error occurred when evaluating an arithmetic expression");

    private static ShellError SystemLimit(Dialect dialect) =>
        new("SystemLimitError", "a system limit has been reached", "a system limit has been reached");
}
