using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Syntax;

/// <summary>
/// The Erlang the shell understands, as typed at erl's prompt: comma-separated expressions ending in
/// '.', matches (<c>X = ...</c>), sends (<c>{name, 'n@h'} ! hello</c>), the operators (arithmetic,
/// <c>div rem</c>, bitwise, comparison, <c>and or xor not</c>, <c>andalso orelse</c>, <c>++ --</c>)
/// with Erlang's precedence, remote and local calls (<c>net_adm:ping('n@h')</c>, <c>nodes()</c>),
/// term literals, <c>fun(X) -> ... end</c> and <c>F(X)</c>, <c>begin ... end</c> and
/// <c>receive ... after ... end</c>. Other constructs are refused in one line naming them.
/// </summary>
internal sealed class ErlangParser : TokenStream
{
    /// <summary>Binary operators: Erlang's precedence (higher binds tighter) and associativity.</summary>
    private static readonly Dictionary<string, (int Precedence, bool Right)> Binary = new(StringComparer.Ordinal)
    {
        ["="] = (1, true),
        ["!"] = (1, true),
        ["orelse"] = (2, true),
        ["andalso"] = (3, true),
        ["=="] = (4, false),
        ["/="] = (4, false),
        ["=<"] = (4, false),
        ["<"] = (4, false),
        [">="] = (4, false),
        [">"] = (4, false),
        ["=:="] = (4, false),
        ["=/="] = (4, false),
        ["++"] = (5, true),
        ["--"] = (5, true),
        ["+"] = (6, false),
        ["-"] = (6, false),
        ["bor"] = (6, false),
        ["bxor"] = (6, false),
        ["bsl"] = (6, false),
        ["bsr"] = (6, false),
        ["or"] = (6, false),
        ["xor"] = (6, false),
        ["/"] = (7, false),
        ["*"] = (7, false),
        ["div"] = (7, false),
        ["rem"] = (7, false),
        ["band"] = (7, false),
        ["and"] = (7, false),
    };

    private ErlangParser(List<Token> tokens) : base(tokens) { }

    public static Expr Parse(string source) => new ErlangParser(Lexer.Tokenize(source, Dialect.Erlang)).Program();

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

    private Expr Expression() => BinaryAbove(0);

    private Expr BinaryAbove(int minimum)
    {
        Enter();
        var left = Unary();
        while (Current.Kind is TokenKind.Punct or TokenKind.Keyword && Binary.TryGetValue(Current.Text, out var op) && op.Precedence >= minimum)
        {
            var token = Take();
            var right = BinaryAbove(op.Right ? op.Precedence : op.Precedence + 1);
            left = token.Text switch
            {
                "=" => new MatchExpr(left, right, token.Column),
                "!" => new SendExpr(left, right, token.Column),
                _ => new BinaryOpExpr(token.Text, left, right, token.Column),
            };
        }

        Leave();
        return left;
    }

    private Expr Unary()
    {
        var t = Current;
        if (t.Kind is TokenKind.Punct or TokenKind.Keyword && t.Text is "-" or "+" or "not" or "bnot")
        {
            Take();
            Enter();
            var operand = Unary();
            Leave();
            return ShellParser.Unary(t, operand);
        }

        if (t.Is("catch")) throw Unsupported("catch", t);
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
                if (At("(")) return new ApplyExpr(new VarExpr(t.Text, t.Column), Args(), t.Column);
                if (At(":")) throw Unsupported("a call with a variable module (Mod:f())", t);
                return new VarExpr(t.Text, t.Column);
            case TokenKind.Keyword when t.Text == "receive":
                return Receive();
            case TokenKind.Keyword when t.Text == "begin":
                Take();
                Enter();
                var block = Exprs();
                Expect("end");
                Leave();
                return new BlockExpr(block, t.Column);
            case TokenKind.Keyword when t.Text == "fun":
                return Fun();
            case TokenKind.Keyword when t.Text is "case" or "if" or "try" or "maybe":
                throw Unsupported(t.Text, t);
            case TokenKind.Punct when t.Text == "#":
                throw Unsupported("a record (#name{...})", t);
            case TokenKind.Punct when t.Text == "?":
                throw Unsupported("a macro (?NAME)", t);
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
        Enter();
        var items = new List<Expr>();
        if (!TryTake(close))
        {
            while (true)
            {
                items.Add(Expression());
                if (TryTake(close)) break;
                if (At("||")) throw Unsupported("a list comprehension", Current);
                Expect(",");
            }
        }

        Leave();
        return items;
    }

    private ListExpr List(int column)
    {
        Enter();
        var items = new List<Expr>();
        Expr? tail = null;
        if (!TryTake("]"))
        {
            while (true)
            {
                items.Add(Expression());
                if (TryTake("]")) break;
                if (TryTake("|"))
                {
                    tail = Expression();
                    Expect("]");
                    break;
                }

                if (At("||")) throw Unsupported("a list comprehension", Current);
                Expect(",");
            }
        }

        Leave();
        return new ListExpr(items, tail, column);
    }

    private MapExpr Map(int column)
    {
        Enter();
        var pairs = new List<(Expr, Expr)>();
        if (!TryTake("}"))
        {
            while (true)
            {
                var k = Expression();
                Expect("=>");
                pairs.Add((k, Expression()));
                if (TryTake("}")) break;
                Expect(",");
            }
        }

        Leave();
        return new MapExpr(pairs, column);
    }

    /// <summary><c>fun(X, Y) -> Body; (A, B) -> Body end</c>.</summary>
    private FnExpr Fun()
    {
        var start = Take();
        if (!At("(")) throw Unsupported("fun Name/Arity (a fun of a named function)", start);
        Enter();
        var clauses = new List<FnClause>();
        do
        {
            var parameters = Args();
            if (At("when")) throw Unsupported("a guard (when)", Current);
            Expect("->");
            clauses.Add(new FnClause(parameters, Exprs()));
        }
        while (TryTake(";"));

        Expect("end");
        if (clauses.Select(c => c.Params.Count).Distinct().Count() > 1)
            throw new SyntaxException("head mismatch: the clauses of a fun have different arities", start.Column);
        Leave();
        return new FnExpr(clauses, start.Column);
    }

    private ReceiveExpr Receive()
    {
        var start = Take();
        Enter();
        var clauses = new List<Clause>();
        if (!At("after"))
        {
            do
            {
                var pattern = Expression();
                if (At("when")) throw Unsupported("a guard (when)", Current);
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
        Leave();
        return new ReceiveExpr(clauses, after, afterBody, start.Column);
    }
}
