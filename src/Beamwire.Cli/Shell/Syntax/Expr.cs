using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Syntax;

/// <summary>
/// The shell's expression tree, the same for both dialects. Patterns (left of <c>=</c>, receive
/// clauses) use the same nodes: literals, variables (<c>_</c> matches anything), tuples, lists, maps.
/// </summary>
internal abstract record Expr(int Column);

internal sealed record LiteralExpr(ErlangTerm Value, int Column) : Expr(Column);

/// <summary>A variable; in Elixir an identifier that is not bound may also be a zero-arity call (<c>flush</c>).</summary>
internal sealed record VarExpr(string Name, int Column, bool MaybeCall = false) : Expr(Column);

internal sealed record TupleExpr(IReadOnlyList<Expr> Items, int Column) : Expr(Column);

internal sealed record ListExpr(IReadOnlyList<Expr> Items, Expr? Tail, int Column) : Expr(Column);

internal sealed record MapExpr(IReadOnlyList<(Expr Key, Expr Value)> Pairs, int Column) : Expr(Column);

/// <summary><c>&lt;&lt;...&gt;&gt;</c> of integers (bytes) and strings.</summary>
internal sealed record BinaryExpr(IReadOnlyList<Expr> Items, int Column) : Expr(Column);

/// <summary>
/// A call. <see cref="Module"/> is the module atom's text (<c>erlang</c>, <c>Elixir.Node</c>), or null
/// for a local call (<c>self()</c>, <c>send(...)</c>, <c>nodes()</c>).
/// </summary>
internal sealed record CallExpr(string? Module, string Function, IReadOnlyList<Expr> Args, int Column) : Expr(Column);

/// <summary><c>Dest ! Message</c>.</summary>
internal sealed record SendExpr(Expr Destination, Expr Message, int Column) : Expr(Column);

/// <summary><c>Pattern = Value</c>.</summary>
internal sealed record MatchExpr(Expr Pattern, Expr Value, int Column) : Expr(Column);

internal sealed record Clause(Expr Pattern, IReadOnlyList<Expr> Body);

/// <summary><c>receive</c> with clauses and an optional <c>after</c> timeout (milliseconds or infinity).</summary>
internal sealed record ReceiveExpr(IReadOnlyList<Clause> Clauses, Expr? After, IReadOnlyList<Expr> AfterBody, int Column) : Expr(Column);

/// <summary>A sequence; its value is the last one's.</summary>
internal sealed record BlockExpr(IReadOnlyList<Expr> Items, int Column) : Expr(Column);

/// <summary>
/// A binary operator, named as Erlang's <c>erlang</c> module names it (<c>+</c>, <c>div</c>, <c>=:=</c>,
/// <c>=&lt;</c>, <c>andalso</c>, <c>++</c>), or by Elixir's name where Erlang has none (<c>&lt;&gt;</c>,
/// <c>&amp;&amp;</c>, <c>||</c>, <c>**</c>). Elixir's <c>and</c>/<c>or</c> are <c>andalso</c>/<c>orelse</c>.
/// </summary>
internal sealed record BinaryOpExpr(string Op, Expr Left, Expr Right, int Column) : Expr(Column);

/// <summary>A unary operator: <c>-</c>, <c>+</c>, <c>not</c>, <c>bnot</c>, or Elixir's <c>!</c>.</summary>
internal sealed record UnaryOpExpr(string Op, Expr Operand, int Column) : Expr(Column);

/// <summary>An Elixir string with <c>#{...}</c>: literal binaries and expressions, joined by <c>String.Chars</c>.</summary>
internal sealed record InterpolationExpr(IReadOnlyList<Expr> Parts, int Column) : Expr(Column);

internal sealed record FnClause(IReadOnlyList<Expr> Params, IReadOnlyList<Expr> Body);

/// <summary>An anonymous function: Elixir's <c>fn x -> ... end</c>, Erlang's <c>fun(X) -> ... end</c>.</summary>
internal sealed record FnExpr(IReadOnlyList<FnClause> Clauses, int Column) : Expr(Column);

/// <summary>Calling a function value: Elixir's <c>f.(x)</c>, Erlang's <c>F(X)</c>.</summary>
internal sealed record ApplyExpr(Expr Fun, IReadOnlyList<Expr> Args, int Column) : Expr(Column);
