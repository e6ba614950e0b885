using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Syntax;

/// <summary>
/// The Elixir the shell understands: literals (atoms, numbers, strings, charlists, tuples, lists,
/// keyword lists, maps), variables and <c>=</c> matches, remote calls (<c>Node.list()</c>,
/// <c>:net_adm.ping(:"n@h")</c>, with or without parentheses for zero arguments), local calls
/// (<c>self()</c>, <c>send(dest, msg)</c>, <c>flush</c>), and <c>receive do ... after ... end</c>.
/// </summary>
internal sealed class ElixirParser : TokenStream
{
    private ElixirParser(List<Token> tokens) : base(tokens) { }

    public static Expr Parse(string source)
    {
        var p = new ElixirParser(Lexer.Tokenize(source, Dialect.Elixir));
        return p.Program();
    }

    private Expr Program()
    {
        SkipSeparators();
        if (AtEnd) return new BlockExpr([], 1);
        var items = new List<Expr> { Expression() };
        while (Current.Kind == TokenKind.Newline || At(";"))
        {
            SkipSeparators();
            if (AtEnd) break;
            items.Add(Expression());
        }

        if (!AtEnd) throw Unexpected();
        return items.Count == 1 ? items[0] : new BlockExpr(items, items[0].Column);
    }

    private void SkipSeparators()
    {
        while (Current.Kind == TokenKind.Newline || At(";")) Take();
    }

    private Expr Expression()
    {
        var left = Unary();
        if (At("="))
        {
            var eq = Take();
            SkipNewlines();
            return new MatchExpr(left, Expression(), eq.Column);
        }

        return left;
    }

    private Expr Unary()
    {
        if (At("-") && PeekAt(1) is { Kind: TokenKind.Literal, Value: ErlangInteger or ErlangBigInteger or ErlangFloat })
        {
            var minus = Take();
            var lit = Take();
            return new LiteralExpr(Negate(lit.Value!), minus.Column);
        }

        return Primary();
    }

    internal static ErlangTerm Negate(ErlangTerm v) => v switch
    {
        ErlangInteger i => ErlangInteger.Create(-(System.Numerics.BigInteger)i.Value),
        ErlangBigInteger b => ErlangInteger.Create(-b.Value),
        ErlangFloat f => new ErlangFloat(-f.Value),
        _ => v,
    };

    private Expr Primary()
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.Literal:
                Take();
                if (t.Value is ErlangAtom atom && At(".") && PeekAt(1).Kind == TokenKind.Ident)
                    return RemoteCall(atom.Name, t.Column);
                return new LiteralExpr(t.Value!, t.Column);
            case TokenKind.Ident:
                Take();
                if (At("(")) return new CallExpr(null, t.Text, Args(), t.Column);
                return new VarExpr(t.Text, t.Column, MaybeCall: true);
            case TokenKind.Alias:
                return AliasExpr();
            case TokenKind.Keyword when t.Text == "receive":
                return Receive();
            case TokenKind.Keyword when t.Text == "fn":
                throw new SyntaxException("anonymous functions (fn) are not supported in this shell", t.Column);
            case TokenKind.Punct:
                return Compound(t);
            default:
                throw Unexpected();
        }
    }

    private Expr Compound(Token t)
    {
        switch (t.Text)
        {
            case "{":
                Take();
                return new TupleExpr(Items("}"), t.Column);
            case "[":
                Take();
                return List(t.Column);
            case "%{":
                Take();
                return Map(t.Column);
            case "<<":
                Take();
                return new BinaryExpr(Items(">>"), t.Column);
            case "(":
                Take();
                SkipNewlines();
                var inner = Expression();
                SkipNewlines();
                Expect(")");
                return inner;
            default:
                throw Unexpected();
        }
    }

    private Expr AliasExpr()
    {
        var first = Current;
        var parts = new List<string> { Take().Text };
        while (At(".") && PeekAt(1).Kind == TokenKind.Alias)
        {
            Take();
            parts.Add(Take().Text);
        }

        var module = parts[0] == "Elixir" ? string.Join('.', parts) : "Elixir." + string.Join('.', parts);
        if (At(".") && PeekAt(1).Kind == TokenKind.Ident) return RemoteCall(module, first.Column);
        return new LiteralExpr(ErlangAtom.Get(module), first.Column);
    }

    private CallExpr RemoteCall(string module, int column)
    {
        Expect(".");
        var fun = Take().Text;
        return new CallExpr(module, fun, At("(") ? Args() : [], column);
    }

    private List<Expr> Args()
    {
        Expect("(");
        SkipNewlines();
        var args = new List<Expr>();
        if (TryTake(")")) return args;
        while (true)
        {
            if (Current.Kind == TokenKind.KeywordKey)
            {
                // Trailing keyword arguments: f(a, key: v) is f(a, [key: v]).
                var c = Current.Column;
                args.Add(new ListExpr(KeywordPairs(")"), null, c));
                return args;
            }

            args.Add(Expression());
            SkipNewlines();
            if (TryTake(")")) return args;
            Expect(",");
            SkipNewlines();
        }
    }

    private List<Expr> Items(string close)
    {
        SkipNewlines();
        var items = new List<Expr>();
        if (TryTake(close)) return items;
        while (true)
        {
            items.Add(Expression());
            SkipNewlines();
            if (TryTake(close)) return items;
            Expect(",");
            SkipNewlines();
        }
    }

    private ListExpr List(int column)
    {
        SkipNewlines();
        var items = new List<Expr>();
        if (TryTake("]")) return new ListExpr(items, null, column);
        while (true)
        {
            if (Current.Kind == TokenKind.KeywordKey)
            {
                items.AddRange(KeywordPairs("]"));
                return new ListExpr(items, null, column);
            }

            items.Add(Expression());
            SkipNewlines();
            if (TryTake("]")) return new ListExpr(items, null, column);
            if (TryTake("|"))
            {
                SkipNewlines();
                var tail = Expression();
                SkipNewlines();
                Expect("]");
                return new ListExpr(items, tail, column);
            }

            Expect(",");
            SkipNewlines();
        }
    }

    /// <summary><c>a: 1, b: 2</c> up to (and including) <paramref name="close"/>, as <c>{:a, 1}</c> tuples.</summary>
    private List<Expr> KeywordPairs(string close)
    {
        var pairs = new List<Expr>();
        while (true)
        {
            var key = Current;
            if (key.Kind != TokenKind.KeywordKey) throw Unexpected("expected a keyword key like 'name:'");
            Take();
            SkipNewlines();
            pairs.Add(new TupleExpr([new LiteralExpr(key.Value!, key.Column), Expression()], key.Column));
            SkipNewlines();
            if (TryTake(close)) return pairs;
            Expect(",");
            SkipNewlines();
        }
    }

    private MapExpr Map(int column)
    {
        SkipNewlines();
        var pairs = new List<(Expr, Expr)>();
        if (TryTake("}")) return new MapExpr(pairs, column);
        while (true)
        {
            if (Current.Kind == TokenKind.KeywordKey)
            {
                var key = Take();
                SkipNewlines();
                pairs.Add((new LiteralExpr(key.Value!, key.Column), Expression()));
            }
            else
            {
                var k = Expression();
                SkipNewlines();
                Expect("=>");
                SkipNewlines();
                pairs.Add((k, Expression()));
            }

            SkipNewlines();
            if (TryTake("}")) return new MapExpr(pairs, column);
            Expect(",");
            SkipNewlines();
        }
    }

    private ReceiveExpr Receive()
    {
        var start = Take();
        SkipNewlines();
        Expect("do");
        SkipSeparators();
        var clauses = new List<Clause>();
        while (!At("after") && !At("end"))
        {
            var pattern = Expression();
            SkipNewlines();
            Expect("->");
            clauses.Add(new Clause(pattern, Body()));
            SkipSeparators();
        }

        Expr? after = null;
        IReadOnlyList<Expr> afterBody = [];
        if (TryTake("after"))
        {
            SkipSeparators();
            after = Expression();
            SkipNewlines();
            Expect("->");
            afterBody = Body();
            SkipSeparators();
        }

        Expect("end");
        return new ReceiveExpr(clauses, after, afterBody, start.Column);
    }

    /// <summary>A clause body: expressions until the next <c>pattern -></c>, <c>after</c> or <c>end</c>.</summary>
    private List<Expr> Body()
    {
        SkipNewlines();
        var body = new List<Expr> { Expression() };
        while (Current.Kind == TokenKind.Newline || At(";"))
        {
            var mark = Position;
            SkipSeparators();
            if (At("end") || At("after") || StartsClause())
            {
                Position = mark;
                return body;
            }

            body.Add(Expression());
        }

        return body;
    }

    private bool StartsClause()
    {
        var mark = Position;
        try
        {
            Expression();
            SkipNewlines();
            return At("->");
        }
        catch (SyntaxException)
        {
            return false;
        }
        finally
        {
            Position = mark;
        }
    }
}
