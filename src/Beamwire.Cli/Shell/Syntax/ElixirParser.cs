using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Syntax;

/// <summary>
/// The Elixir the shell understands: literals (atoms, numbers, strings with <c>#{...}</c>, charlists,
/// tuples, lists, keyword lists, maps, binaries), variables and <c>=</c> matches, the operators iex
/// users type (arithmetic, comparison, <c>and/or/not</c>, <c>&amp;&amp; || !</c>, <c>&lt;&gt;</c>,
/// <c>++ --</c>, the pipe <c>|&gt;</c>) with Elixir's precedence, remote calls (<c>Node.list()</c>,
/// <c>:net_adm.ping(:"n@h")</c>, parentheses optional for zero arguments), local calls
/// (<c>self()</c>, <c>send(dest, msg)</c>, <c>flush</c>), <c>fn ... end</c> and <c>f.(x)</c>, and
/// <c>receive do ... after ... end</c>. Other constructs are refused in one line naming them.
/// </summary>
internal sealed class ElixirParser : TokenStream
{
    /// <summary>Binary operators: Elixir's precedence (higher binds tighter), associativity, and the name the tree uses.</summary>
    private static readonly Dictionary<string, (int Precedence, bool Right, string Op)> Binary = new(StringComparer.Ordinal)
    {
        ["="] = (1, true, "="),
        ["||"] = (3, false, "||"),
        ["or"] = (3, false, "orelse"),
        ["&&"] = (4, false, "&&"),
        ["and"] = (4, false, "andalso"),
        ["=="] = (5, false, "=="),
        ["!="] = (5, false, "/="),
        ["==="] = (5, false, "=:="),
        ["!=="] = (5, false, "=/="),
        ["=~"] = (5, false, "=~"),
        ["<"] = (6, false, "<"),
        [">"] = (6, false, ">"),
        ["<="] = (6, false, "=<"),
        [">="] = (6, false, ">="),
        ["|>"] = (7, false, "|>"),
        ["in"] = (8, false, "in"),
        ["++"] = (9, true, "++"),
        ["--"] = (9, true, "--"),
        ["<>"] = (9, true, "<>"),
        [".."] = (9, true, ".."),
        ["+"] = (10, false, "+"),
        ["-"] = (10, false, "-"),
        ["*"] = (11, false, "*"),
        ["/"] = (11, false, "/"),
        ["**"] = (12, true, "**"),
    };

    private static readonly HashSet<string> NotEvaluated = new(StringComparer.Ordinal) { "=~", "in", ".." };

    private ElixirParser(List<Token> tokens) : base(tokens) { }

    public static Expr Parse(string source) => new ElixirParser(Lexer.Tokenize(source, Dialect.Elixir)).Program();

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

    private Expr Expression() => BinaryAbove(0);

    /// <summary>Precedence climbing: operands joined by operators of at least <paramref name="minimum"/> precedence.</summary>
    private Expr BinaryAbove(int minimum)
    {
        Enter();
        var left = Unary();
        while (Current.Kind is TokenKind.Punct or TokenKind.Keyword && Binary.TryGetValue(Current.Text, out var op) && op.Precedence >= minimum)
        {
            var token = Take();
            if (NotEvaluated.Contains(op.Op)) throw Unsupported($"the {token.Text} operator", token);
            SkipNewlines();
            var right = BinaryAbove(op.Right ? op.Precedence : op.Precedence + 1);
            left = op.Op switch
            {
                "=" => new MatchExpr(left, right, token.Column),
                "|>" => Pipe(left, right, token),
                _ => new BinaryOpExpr(op.Op, left, right, token.Column),
            };
        }

        Leave();
        return left;
    }

    /// <summary><c>x |&gt; f(y)</c> is <c>f(x, y)</c>: the left side becomes the call's first argument.</summary>
    private static Expr Pipe(Expr left, Expr right, Token pipe) => right switch
    {
        CallExpr c => c with { Args = [left, .. c.Args] },
        ApplyExpr a => a with { Args = [left, .. a.Args] },
        VarExpr { MaybeCall: true } v => new CallExpr(null, v.Name, [left], v.Column),
        _ => throw new SyntaxException("the right side of |> must be a call, like x |> f(y)", pipe.Column),
    };

    private Expr Unary()
    {
        var t = Current;
        if (t.Kind is TokenKind.Punct or TokenKind.Keyword && t.Text is "-" or "+" or "!" or "not" or "^")
        {
            if (t.Text == "^") throw Unsupported("the pin operator ^", t);
            Take();
            Enter();
            var operand = Unary();
            Leave();
            return ShellParser.Unary(t, operand);
        }

        return Postfix(Primary());
    }

    /// <summary><c>f.(args)</c>: calling a function value.</summary>
    private Expr Postfix(Expr target)
    {
        while (At(".") && PeekAt(1).Is("("))
        {
            var dot = Take();
            target = new ApplyExpr(target, Args(), dot.Column);
        }

        if (At(".") && target is VarExpr or LiteralExpr { Value: ErlangMap })
            throw Unsupported("field access (map.key)", Current);
        return target;
    }

    private Expr Primary()
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.Literal:
                Take();
                if (t.Value is ErlangAtom atom && At(".") && PeekAt(1).Kind is TokenKind.Ident or TokenKind.Keyword)
                    return RemoteCall(atom.Name, t.Column);
                return new LiteralExpr(t.Value!, t.Column);
            case TokenKind.Interpolation:
                Take();
                return Interpolation(t);
            case TokenKind.Ident:
                Take();
                if (At("(")) return new CallExpr(null, t.Text, Args(), t.Column);
                return new VarExpr(t.Text, t.Column, MaybeCall: true);
            case TokenKind.Alias:
                return AliasExpr();
            case TokenKind.Keyword when t.Text == "receive":
                return Receive();
            case TokenKind.Keyword when t.Text == "fn":
                return Fn();
            case TokenKind.Keyword when t.Text is "case" or "cond" or "if" or "unless" or "try" or "with" or "for" or "quote" or "unquote":
                throw Unsupported(t.Text, t);
            case TokenKind.Keyword when t.Text is "import" or "alias" or "require" or "defmodule" or "def" or "defp":
                throw Unsupported(t.Text, t);
            case TokenKind.Punct when t.Text == "&":
                throw Unsupported("the capture operator &", t);
            case TokenKind.Punct when t.Text == "@":
                throw Unsupported("a module attribute (@)", t);
            case TokenKind.Punct:
                return Compound(t);
            default:
                throw Unexpected();
        }
    }

    private static InterpolationExpr Interpolation(Token t)
    {
        var parts = new List<Expr>();
        foreach (var part in t.Parts!)
        {
            parts.Add(part is ErlangTerm text
                ? new LiteralExpr(text, t.Column)
                : new ElixirParser((List<Token>)part).Program());
        }

        return new InterpolationExpr(parts, t.Column);
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
        if (At(".") && PeekAt(1).Kind is TokenKind.Ident or TokenKind.Keyword) return RemoteCall(module, first.Column);
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
        Enter();
        SkipNewlines();
        var args = new List<Expr>();
        if (TryTake(")"))
        {
            Leave();
            return args;
        }

        while (true)
        {
            if (Current.Kind == TokenKind.KeywordKey)
            {
                // Trailing keyword arguments: f(a, key: v) is f(a, [key: v]).
                var c = Current.Column;
                args.Add(new ListExpr(KeywordPairs(")"), null, c));
                break;
            }

            args.Add(Expression());
            SkipNewlines();
            if (TryTake(")")) break;
            Expect(",");
            SkipNewlines();
        }

        Leave();
        return args;
    }

    private List<Expr> Items(string close)
    {
        Enter();
        SkipNewlines();
        var items = new List<Expr>();
        if (!TryTake(close))
        {
            while (true)
            {
                items.Add(Expression());
                SkipNewlines();
                if (TryTake(close)) break;
                Expect(",");
                SkipNewlines();
            }
        }

        Leave();
        return items;
    }

    private ListExpr List(int column)
    {
        Enter();
        SkipNewlines();
        var items = new List<Expr>();
        Expr? tail = null;
        if (!TryTake("]"))
        {
            while (true)
            {
                if (Current.Kind == TokenKind.KeywordKey)
                {
                    items.AddRange(KeywordPairs("]"));
                    break;
                }

                items.Add(Expression());
                SkipNewlines();
                if (TryTake("]")) break;
                if (TryTake("|"))
                {
                    SkipNewlines();
                    tail = Expression();
                    SkipNewlines();
                    Expect("]");
                    break;
                }

                Expect(",");
                SkipNewlines();
            }
        }

        Leave();
        return new ListExpr(items, tail, column);
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
        Enter();
        SkipNewlines();
        var pairs = new List<(Expr, Expr)>();
        if (!TryTake("}"))
        {
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
                    if (At("|")) throw Unsupported("the map update %{map | key: value}", Current);
                    Expect("=>");
                    SkipNewlines();
                    pairs.Add((k, Expression()));
                }

                SkipNewlines();
                if (TryTake("}")) break;
                Expect(",");
                SkipNewlines();
            }
        }

        Leave();
        return new MapExpr(pairs, column);
    }

    /// <summary><c>fn x, y -> body end</c>, <c>fn -> body end</c>, clauses separated by <c>;</c> or line breaks.</summary>
    private FnExpr Fn()
    {
        var start = Take();
        Enter();
        var clauses = new List<FnClause>();
        SkipSeparators();
        do
        {
            var parameters = new List<Expr>();
            if (!At("->"))
            {
                var parenthesised = TryTake("(");
                if (!parenthesised || !At(")"))
                {
                    do parameters.Add(Expression());
                    while (TryTake(","));
                }

                if (parenthesised) Expect(")");
            }

            if (At("when")) throw Unsupported("a guard (when)", Current);
            SkipNewlines();
            Expect("->");
            clauses.Add(new FnClause(parameters, Body()));
            SkipSeparators();
        }
        while (!At("end"));

        Expect("end");
        if (clauses.Select(c => c.Params.Count).Distinct().Count() > 1)
            throw new SyntaxException("cannot mix clauses with different arities in anonymous functions", start.Column);
        Leave();
        return new FnExpr(clauses, start.Column);
    }

    private ReceiveExpr Receive()
    {
        var start = Take();
        Enter();
        SkipNewlines();
        Expect("do");
        SkipSeparators();
        var clauses = new List<Clause>();
        while (!At("after") && !At("end"))
        {
            var pattern = Expression();
            if (At("when")) throw Unsupported("a guard (when)", Current);
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
        Leave();
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

    /// <summary>
    /// Whether a clause head (<c>pattern -></c>, <c>a, b -></c>) starts here: a <c>-></c> before the
    /// line ends, outside brackets. A scan of tokens, not a trial parse, so nested bodies stay linear.
    /// </summary>
    private bool StartsClause()
    {
        var depth = 0;
        for (var i = 0; ; i++)
        {
            var t = PeekAt(i);
            if (t.Kind == TokenKind.End || (t.Kind == TokenKind.Newline && depth == 0)) return false;
            if (t.Kind is not (TokenKind.Punct or TokenKind.Keyword)) continue;
            switch (t.Text)
            {
                case "(" or "[" or "{" or "%{" or "<<" or "fn" or "do":
                    depth++;
                    break;
                case ")" or "]" or "}" or ">>" or "end":
                    if (depth-- == 0) return false;
                    break;
                case ";" or "after" when depth == 0:
                    return false;
                case "->" when depth == 0:
                    return true;
            }
        }
    }
}
