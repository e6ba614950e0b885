using Beamwire.Cli.Shell.Syntax;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Eval;

/// <summary>
/// Pattern matching for <c>=</c> and <c>receive</c>: literals, variables (<c>_</c> and <c>_name</c>
/// match anything), tuples, lists with tails, maps (keys must be present). In Erlang a bound variable
/// in a pattern must equal the value; in Elixir it is rebound (no pin operator here).
/// </summary>
internal static class Patterns
{
    public static bool TryMatch(Expr pattern, ErlangTerm value, IReadOnlyDictionary<string, ErlangTerm> bound, Dialect dialect, Dictionary<string, ErlangTerm> newBindings)
    {
        switch (pattern)
        {
            case LiteralExpr lit:
                return lit.Value.Equals(value);
            case VarExpr v:
                if (v.Name.StartsWith('_')) return true;
                if (newBindings.TryGetValue(v.Name, out var already)) return already.Equals(value);
                if (dialect == Dialect.Erlang && bound.TryGetValue(v.Name, out var existing)) return existing.Equals(value);
                newBindings[v.Name] = value;
                return true;
            case TupleExpr t:
                if (value is not ErlangTuple tv || tv.Count != t.Items.Count) return false;
                for (var i = 0; i < tv.Count; i++)
                    if (!TryMatch(t.Items[i], tv[i], bound, dialect, newBindings)) return false;
                return true;
            case ListExpr l:
                return MatchList(l, value, bound, dialect, newBindings);
            case MapExpr m:
                if (value is not ErlangMap mv) return false;
                foreach (var (k, v) in m.Pairs)
                {
                    if (k is not LiteralExpr key || !mv.TryGetValue(key.Value, out var item)) return false;
                    if (!TryMatch(v, item, bound, dialect, newBindings)) return false;
                }

                return true;
            default:
                throw new ShellError("CompileError", "invalid pattern: only literals, variables, tuples, lists and maps can be matched",
                    "illegal pattern");
        }
    }

    private static bool MatchList(ListExpr l, ErlangTerm value, IReadOnlyDictionary<string, ErlangTerm> bound, Dialect dialect, Dictionary<string, ErlangTerm> newBindings)
    {
        if (value is ErlangString s) value = s.ToList();
        if (value is not ErlangList list) return false;
        if (l.Tail is null && list.Count != l.Items.Count) return false;
        if (l.Tail is not null && list.Count < l.Items.Count) return false;
        if (l.Tail is null && !list.IsProper) return false;
        for (var i = 0; i < l.Items.Count; i++)
            if (!TryMatch(l.Items[i], list[i], bound, dialect, newBindings)) return false;
        if (l.Tail is null) return true;
        var rest = list.Count == l.Items.Count ? list.Tail : new ErlangList(list.Elements[l.Items.Count..].ToArray(), list.Tail);
        return TryMatch(l.Tail, rest, bound, dialect, newBindings);
    }
}
