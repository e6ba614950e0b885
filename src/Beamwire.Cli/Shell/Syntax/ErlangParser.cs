using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Syntax;

/// <summary>
/// The Erlang the shell understands, as typed at erl's prompt: comma-separated expressions ending in
/// '.', matches (<c>X = ...</c>), sends (<c>{name, 'n@h'} ! hello</c>), remote and local calls
/// (<c>net_adm:ping('n@h')</c>, <c>nodes()</c>), term literals and <c>receive ... after ... end</c>.
/// </summary>
internal sealed class ErlangParser : TokenStream
{
    private ErlangParser(List<Token> tokens) : base(tokens) { }

    public static Expr Parse(string source)
    {
        var tokens = Lexer.Tokenize(source, Dialect.Erlang).Where(t => t.Kind != TokenKind.Newline).ToList();
        return new ErlangParser(tokens).Program();
    }

    private Expr Program()
    {
        var items = Exprs();
        Expect(".");
        if (!AtEnd) throw Unexpected();
        return items.Count == 1 ? items[0] : new BlockExpr(items, items[0].Column);
    }

    private List<Expr> Exprs()
    {
        var items = new List<Expr> { Expression() };
        while (TryTake(",")) items.Add(Expression());
        return items;
    }

    private Expr Expression()
    {
        var left = Send();
        if (At("="))
        {
            var eq = Take();
            return new MatchExpr(left, Expression(), eq.Column);
        }

        return left;
    }

    private Expr Send()
    {
        var left = Unary();
        if (At("!"))
        {
            var bang = Take();
            return new SendExpr(left, Send(), bang.Column);
        }

        return left;
    }

    private Expr Unary()
    {
        if (At("-") && PeekAt(1) is { Kind: TokenKind.Literal, Value: ErlangInteger or ErlangBigInteger or ErlangFloat })
        {
            var minus = Take();
            return new LiteralExpr(ElixirParser.Negate(Take().Value!), minus.Column);
        }

        return Primary();
    }

    private Expr Primary()
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.Literal when t.Value is ErlangAtom atom:
                Take();
                if (At(":") && PeekAt(1).Value is ErlangAtom fun)
                {
                    Take();
                    Take();
                    return new CallExpr(atom.Name, fun.Name, Args(), t.Column);
                }

                if (At("(")) return new CallExpr(null, atom.Name, Args(), t.Column);
                return new LiteralExpr(atom, t.Column);
            case TokenKind.Literal:
                Take();
                return new LiteralExpr(t.Value!, t.Column);
            case TokenKind.Var:
                Take();
                return new VarExpr(t.Text, t.Column);
            case TokenKind.Keyword when t.Text == "receive":
                return Receive();
            case TokenKind.Keyword when t.Text == "begin":
                Take();
                var block = Exprs();
                Expect("end");
                return new BlockExpr(block, t.Column);
            case TokenKind.Keyword when t.Text == "fun":
                throw new SyntaxException("funs are not supported in this shell", t.Column);
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
            case "#{":
                Take();
                return Map(t.Column);
            case "<<":
                Take();
                return new BinaryExpr(Items(">>"), t.Column);
            case "(":
                Take();
                var inner = Expression();
                Expect(")");
                return inner;
            default:
                throw Unexpected();
        }
    }

    private List<Expr> Args()
    {
        Expect("(");
        return Items(")");
    }

    private List<Expr> Items(string close)
    {
        var items = new List<Expr>();
        if (TryTake(close)) return items;
        while (true)
        {
            items.Add(Expression());
            if (TryTake(close)) return items;
            Expect(",");
        }
    }

    private ListExpr List(int column)
    {
        var items = new List<Expr>();
        if (TryTake("]")) return new ListExpr(items, null, column);
        while (true)
        {
            items.Add(Expression());
            if (TryTake("]")) return new ListExpr(items, null, column);
            if (TryTake("|"))
            {
                var tail = Expression();
                Expect("]");
                return new ListExpr(items, tail, column);
            }

            Expect(",");
        }
    }

    private MapExpr Map(int column)
    {
        var pairs = new List<(Expr, Expr)>();
        if (TryTake("}")) return new MapExpr(pairs, column);
        while (true)
        {
            var k = Expression();
            Expect("=>");
            pairs.Add((k, Expression()));
            if (TryTake("}")) return new MapExpr(pairs, column);
            Expect(",");
        }
    }

    private ReceiveExpr Receive()
    {
        var start = Take();
        var clauses = new List<Clause>();
        if (!At("after"))
        {
            do
            {
                var pattern = Expression();
                Expect("->");
                clauses.Add(new Clause(pattern, Exprs()));
            }
            while (TryTake(";"));
        }

        Expr? after = null;
        IReadOnlyList<Expr> afterBody = [];
        if (TryTake("after"))
        {
            after = Expression();
            Expect("->");
            afterBody = Exprs();
        }

        Expect("end");
        return new ReceiveExpr(clauses, after, afterBody, start.Column);
    }
}
