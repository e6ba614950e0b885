using System.Text;
using Beamwire.Cli.Shell.Backends;
using Beamwire.Cli.Shell.Syntax;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Eval;

/// <summary>
/// Evaluates shell expressions: literals, variables, operators and <c>fn</c>s here, shell functions
/// (<c>self</c>, <c>send</c>, <c>receive</c>, <c>flush</c>, GenServer, IO, <c>h</c>) on the shell's
/// process, everything else on the command node through <see cref="IShellBackend"/>. Bindings
/// persist between inputs, as in iex; a function body binds in a scope of its own.
/// </summary>
internal sealed class Evaluator(IShellBackend backend, ShellProcess process, Func<ErlangReference> makeRef, Action<string> print)
{
    /// <summary>A value the prompt does not print (what <c>h()</c> returns, as IEx hides its result).</summary>
    public static readonly ErlangAtom NoValue = ErlangAtom.Get("do not show this result in output");

    private static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(5);

    private readonly Closures _closures = new(() => process.Pid);

    public Dictionary<string, ErlangTerm> Bindings { get; } = new(StringComparer.Ordinal);

    public Task<ErlangTerm> EvalAsync(Expr expr, Dialect dialect, CancellationToken ct) => EvalAsync(expr, new Scope(dialect, Bindings), ct);

    /// <summary>Where an expression is evaluated: its dialect and the variables it sees (and binds).</summary>
    private sealed record Scope(Dialect Dialect, Dictionary<string, ErlangTerm> Env);

    private async Task<ErlangTerm> EvalAsync(Expr expr, Scope scope, CancellationToken ct)
    {
        var dialect = scope.Dialect;
        switch (expr)
        {
            case LiteralExpr lit:
                return lit.Value;
            case VarExpr v:
                if (scope.Env.TryGetValue(v.Name, out var bound)) return bound;
                if (v.MaybeCall && IsZeroArityShellCall(v.Name)) return await CallAsync(null, v.Name, [], scope, ct).ConfigureAwait(false);
                throw ShellError.Unbound(v.Name, dialect);
            case TupleExpr t:
                return new ErlangTuple([.. await EvalAllAsync(t.Items, scope, ct).ConfigureAwait(false)]);
            case ListExpr l:
                {
                    var items = await EvalAllAsync(l.Items, scope, ct).ConfigureAwait(false);
                    var tail = l.Tail is null ? null : await EvalAsync(l.Tail, scope, ct).ConfigureAwait(false);
                    if (tail is ErlangList tl && tl.IsProper) return new ErlangList([.. items, .. tl.Elements.ToArray()]);
                    if (tail is ErlangString ts) return new ErlangList([.. items, .. ts.ToList().Elements.ToArray()]);
                    return items.Count == 0 && tail is not null ? tail : new ErlangList([.. items], tail);
                }

            case MapExpr m:
                {
                    var pairs = new List<KeyValuePair<ErlangTerm, ErlangTerm>>();
                    foreach (var (k, v) in m.Pairs)
                        pairs.Add(new(await EvalAsync(k, scope, ct).ConfigureAwait(false), await EvalAsync(v, scope, ct).ConfigureAwait(false)));
                    return new ErlangMap(pairs.DistinctBy(p => p.Key).ToArray());
                }

            case BinaryExpr b:
                return Binary(await EvalAllAsync(b.Items, scope, ct).ConfigureAwait(false));
            case CallExpr c:
                return await CallAsync(c.Module, c.Function, await EvalAllAsync(c.Args, scope, ct).ConfigureAwait(false), scope, ct).ConfigureAwait(false);
            case SendExpr s:
                {
                    var dest = await EvalAsync(s.Destination, scope, ct).ConfigureAwait(false);
                    var msg = await EvalAsync(s.Message, scope, ct).ConfigureAwait(false);
                    process.Send(dest, msg);
                    return msg;
                }

            case MatchExpr m:
                {
                    var value = await EvalAsync(m.Value, scope, ct).ConfigureAwait(false);
                    var fresh = new Dictionary<string, ErlangTerm>(StringComparer.Ordinal);
                    if (!Patterns.TryMatch(m.Pattern, value, scope.Env, dialect, fresh)) throw ShellError.Match(value);
                    foreach (var kv in fresh) scope.Env[kv.Key] = kv.Value;
                    return value;
                }

            case BinaryOpExpr op:
                return await BinaryOpAsync(op, scope, ct).ConfigureAwait(false);
            case UnaryOpExpr u:
                return Operators.Unary(u.Op, await EvalAsync(u.Operand, scope, ct).ConfigureAwait(false), dialect);
            case InterpolationExpr i:
                {
                    var bytes = new List<byte>();
                    foreach (var part in i.Parts) StringChars.Append(bytes, await EvalAsync(part, scope, ct).ConfigureAwait(false));
                    return new ErlangBinary(bytes.ToArray());
                }

            case FnExpr fn:
                if (fn.Clauses[0].Params.Count > 255) throw new ShellError("CompileError", "a function takes at most 255 arguments", "a fun takes at most 255 arguments");
                return _closures.Make(new Closure(fn, new Dictionary<string, ErlangTerm>(scope.Env, StringComparer.Ordinal), dialect));
            case ApplyExpr a:
                {
                    var fun = await EvalAsync(a.Fun, scope, ct).ConfigureAwait(false);
                    return await ApplyAsync(fun, await EvalAllAsync(a.Args, scope, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
                }

            case ReceiveExpr r:
                return await ReceiveAsync(r, scope, ct).ConfigureAwait(false);
            case BlockExpr block:
                return await BodyAsync(block.Items, scope, ct).ConfigureAwait(false);
            default:
                throw new ShellError("CompileError", "cannot evaluate this expression", "illegal expression");
        }
    }

    private async Task<ErlangTerm> BodyAsync(IReadOnlyList<Expr> body, Scope scope, CancellationToken ct)
    {
        ErlangTerm last = ErlangAtom.Nil;
        foreach (var e in body) last = await EvalAsync(e, scope, ct).ConfigureAwait(false);
        return last;
    }

    /// <summary>Binary operators; the boolean ones short-circuit (only <c>and</c>/<c>or</c>/<c>xor</c> in Erlang evaluate both sides).</summary>
    private async Task<ErlangTerm> BinaryOpAsync(BinaryOpExpr op, Scope scope, CancellationToken ct)
    {
        var left = await EvalAsync(op.Left, scope, ct).ConfigureAwait(false);
        switch (op.Op)
        {
            case "andalso" or "orelse":
                if (!Operators.IsBoolean(left)) throw Operators.BadBoolean(op.Op, left, scope.Dialect);
                if (left.Equals(op.Op == "andalso" ? ErlangAtom.False : ErlangAtom.True)) return left;
                return await EvalAsync(op.Right, scope, ct).ConfigureAwait(false);
            case "&&":
                return Operators.Truthy(left) ? await EvalAsync(op.Right, scope, ct).ConfigureAwait(false) : left;
            case "||":
                return Operators.Truthy(left) ? left : await EvalAsync(op.Right, scope, ct).ConfigureAwait(false);
            default:
                return Operators.Binary(op.Op, left, await EvalAsync(op.Right, scope, ct).ConfigureAwait(false), scope.Dialect);
        }
    }

    /// <summary>Calls a shell function value with arguments: the first clause whose parameters match runs, in its own scope.</summary>
    private async Task<ErlangTerm> ApplyAsync(ErlangTerm fun, IReadOnlyList<ErlangTerm> args, CancellationToken ct)
    {
        if (!_closures.TryGet(fun, out var closure))
            throw new ShellError("BadFunctionError", $"expected a function, got: {TermDisplay.Elixir(fun)}", $"bad function {TermDisplay.Erlang(fun)}");
        if (closure.Arity != args.Count)
        {
            var shown = string.Join(", ", args.Select(TermDisplay.Elixir));
            throw new ShellError("BadArityError", $"{TermDisplay.Elixir(fun)} with arity {closure.Arity} called with {args.Count} argument{(args.Count == 1 ? "" : "s")} ({shown})",
                $"interpreted function with arity {closure.Arity} called with {args.Count} argument{(args.Count == 1 ? "" : "s")}");
        }

        foreach (var clause in closure.Fn.Clauses)
        {
            var env = new Dictionary<string, ErlangTerm>(closure.Captured, StringComparer.Ordinal);
            var fresh = new Dictionary<string, ErlangTerm>(StringComparer.Ordinal);
            var matched = true;
            for (var i = 0; i < args.Count && matched; i++)
                matched = Patterns.TryMatch(clause.Params[i], args[i], env, closure.Dialect, fresh);
            if (!matched) continue;
            foreach (var kv in fresh) env[kv.Key] = kv.Value;
            return await BodyAsync(clause.Body, new Scope(closure.Dialect, env), ct).ConfigureAwait(false);
        }

        throw new ShellError("FunctionClauseError", $"no function clause matching in :erl_eval.\"-inside-an-interpreted-fun-\"/{args.Count}",
            $"no function clause matching erl_eval:'-inside-an-interpreted-fun-'({string.Join(",", args.Select(TermDisplay.Erlang))})");
    }

    private async Task<List<ErlangTerm>> EvalAllAsync(IReadOnlyList<Expr> items, Scope scope, CancellationToken ct)
    {
        var values = new List<ErlangTerm>(items.Count);
        foreach (var e in items) values.Add(await EvalAsync(e, scope, ct).ConfigureAwait(false));
        return values;
    }

    private static bool IsZeroArityShellCall(string name) => name is "flush" or "h" or "self" or "node" or "nodes";

    private async Task<ErlangTerm> CallAsync(string? module, string function, List<ErlangTerm> args, Scope scope, CancellationToken ct)
    {
        var dialect = scope.Dialect;
        if (module is null)
        {
            if (await LocalCallAsync(function, args, dialect, ct).ConfigureAwait(false) is { } local) return local;
            if (Builtins.AutoImported.Contains((function, args.Count))) module = "erlang";
            else throw dialect == Dialect.Elixir
                ? new ShellError("CompileError", $"undefined function {function}/{args.Count} (there is no such import)", "")
                : new ShellError("", "", $"undefined shell command {function}/{args.Count}");
        }

        if (Builtins.ElixirToErlang.TryGetValue((module, function, args.Count), out var erl))
            (module, function) = erl;
        if (await ShellFunctionAsync(module, function, args, ct).ConfigureAwait(false) is { } shellValue) return shellValue;
        if (await WithClosureAsync(module, function, args, ct).ConfigureAwait(false) is { } closureValue) return closureValue;
        return await backend.ApplyAsync(module, function, args, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The list functions a shell function is passed to (<c>Enum.map(l, fn x -> x * 2 end)</c>,
    /// <c>lists:map(F, L)</c>) run here, since the fun has no code for another node; a shell fun passed
    /// to any other call is refused in one line.
    /// </summary>
    private async Task<ErlangTerm?> WithClosureAsync(string module, string function, List<ErlangTerm> args, CancellationToken ct)
    {
        if (!args.Exists(_closures.IsClosure)) return null;
        switch (module, function, args.Count)
        {
            case ("Elixir.Enum", "map" or "filter" or "each", 2) when _closures.IsClosure(args[1]):
                return await ListFunctionAsync(function, args[1], args[0], ct).ConfigureAwait(false);
            case ("lists", "map" or "filter" or "foreach", 2) when _closures.IsClosure(args[0]):
                return await ListFunctionAsync(function == "foreach" ? "each" : function, args[0], args[1], ct).ConfigureAwait(false);
            case ("Elixir.Enum", "reduce", 3) when _closures.IsClosure(args[2]):
                return await FoldAsync(args[2], args[1], args[0], ct).ConfigureAwait(false);
            case ("lists", "foldl", 3) when _closures.IsClosure(args[0]):
                return await FoldAsync(args[0], args[1], args[2], ct).ConfigureAwait(false);
            default:
                var call = $"{ShellError.ModuleText(module)}.{function}/{args.Count}";
                throw new ShellError("ArgumentError", $"a function made in this shell runs only here: call it (f.(x)) or pass it to Enum.map/filter/each/reduce, not to {call}",
                    $"a fun made in this shell runs only here: call it (F(X)) or pass it to lists:map/filter/foreach/foldl, not to {module}:{function}/{args.Count}");
        }
    }

    private async Task<ErlangTerm> ListFunctionAsync(string function, ErlangTerm fun, ErlangTerm list, CancellationToken ct)
    {
        var items = Elements(list);
        var results = new List<ErlangTerm>(items.Count);
        foreach (var item in items)
        {
            var r = await ApplyAsync(fun, [item], ct).ConfigureAwait(false);
            if (function == "map") results.Add(r);
            else if (function == "filter" && Operators.Truthy(r)) results.Add(item);
        }

        return function == "each" ? ErlangAtom.Ok : results.Count == 0 ? ErlangList.Nil : new ErlangList([.. results]);
    }

    private async Task<ErlangTerm> FoldAsync(ErlangTerm fun, ErlangTerm acc, ErlangTerm list, CancellationToken ct)
    {
        foreach (var item in Elements(list)) acc = await ApplyAsync(fun, [item, acc], ct).ConfigureAwait(false);
        return acc;
    }

    private static List<ErlangTerm> Elements(ErlangTerm list) => list switch
    {
        ErlangString s => [.. s.ToList().Elements.ToArray()],
        ErlangList { IsProper: true } l => [.. l.Elements.ToArray()],
        _ => throw new ShellError("Protocol.UndefinedError", $"protocol Enumerable not implemented for {TermDisplay.Elixir(list)}", "bad argument"),
    };

    /// <summary>Functions of the shell itself, called without a module.</summary>
    private async Task<ErlangTerm?> LocalCallAsync(string function, IReadOnlyList<ErlangTerm> args, Dialect dialect, CancellationToken ct)
    {
        switch (function, args.Count)
        {
            case ("self", 0):
                return process.Pid;
            case ("send", 2):
                process.Send(args[0], args[1]);
                return args[1];
            case ("flush", 0):
                while (process.TryTake(out var m))
                    print(dialect == Dialect.Elixir ? TermFormatter.ToElixir(m) : "Shell got " + TermFormatter.ToErlang(m));
                return ErlangAtom.Ok;
            case ("h" or "help", 0):
                print(Builtins.Help);
                return NoValue;
            case ("node", 0) when dialect == Dialect.Elixir:
                return await backend.ApplyAsync("erlang", "node", [], ct).ConfigureAwait(false);
            case ("make_ref", 0):
                return makeRef();
            case ("div" or "rem", 2) when dialect == Dialect.Elixir:
                return Operators.Binary(function, args[0], args[1], dialect);
            default:
                return null;
        }
    }

    /// <summary>Module functions that act through the shell's process or terminal rather than on the command node.</summary>
    private async Task<ErlangTerm?> ShellFunctionAsync(string module, string function, IReadOnlyList<ErlangTerm> args, CancellationToken ct)
    {
        switch (module, function, args.Count)
        {
            case ("erlang", "self", 0):
                return process.Pid;
            case ("erlang", "make_ref", 0):
                return makeRef();
            case ("erlang", "send" or "!", 2):
                process.Send(args[0], args[1]);
                return args[1];
            case ("Elixir.GenServer" or "gen_server", "call", 2 or 3):
                return await GenCallAsync(module, args, ct).ConfigureAwait(false);
            case ("Elixir.GenServer" or "gen_server", "cast", 2):
                process.Cast(args[0], args[1]);
                return ErlangAtom.Ok;
            case ("Elixir.IO", "puts", 1):
                print(Chars(args[0]));
                return ErlangAtom.Ok;
            case ("Elixir.IO", "inspect", 1):
                print(TermFormatter.ToElixir(args[0]));
                return args[0];
            default:
                return null;
        }
    }

    private async Task<ErlangTerm> GenCallAsync(string module, IReadOnlyList<ErlangTerm> args, CancellationToken ct)
    {
        TimeSpan? timeout = DefaultCallTimeout;
        if (args.Count == 3)
        {
            timeout = args[2] switch
            {
                ErlangInteger { Value: >= 0 } ms => TimeSpan.FromMilliseconds(ms.Value),
                ErlangAtom { Name: "infinity" } => null,
                _ => throw ShellError.Argument("the timeout is milliseconds or :infinity"),
            };
        }

        try
        {
            return await process.CallAsync(args[0], args[1], timeout, makeRef(), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var ms = timeout is null ? "infinity" : ((long)timeout.Value.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var call = module == "gen_server"
                ? $"gen_server:call({TermDisplay.Erlang(args[0])}, {TermDisplay.Erlang(args[1])}, {ms})"
                : $"GenServer.call({TermDisplay.Elixir(args[0])}, {TermDisplay.Elixir(args[1])}, {ms})";
            throw new ShellError("exit", $"exited in: {call}: time out (no reply)", $"exit {{timeout,{call}}}");
        }
    }

    private async Task<ErlangTerm> ReceiveAsync(ReceiveExpr r, Scope scope, CancellationToken ct)
    {
        TimeSpan? timeout = null;
        if (r.After is not null)
        {
            timeout = await EvalAsync(r.After, scope, ct).ConfigureAwait(false) switch
            {
                ErlangInteger { Value: >= 0 and <= int.MaxValue } ms => TimeSpan.FromMilliseconds(ms.Value),
                ErlangAtom { Name: "infinity" } => null,
                var other => throw ShellError.Argument($"after takes milliseconds or :infinity, not {TermDisplay.Elixir(other)}"),
            };
        }

        ErlangTerm message;
        try
        {
            message = await process.ReceiveAsync(m => r.Clauses.Any(c => Matches(c.Pattern, m, scope)), timeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return await BodyAsync(r.AfterBody, scope, ct).ConfigureAwait(false);
        }

        foreach (var clause in r.Clauses)
        {
            var fresh = new Dictionary<string, ErlangTerm>(StringComparer.Ordinal);
            if (!Patterns.TryMatch(clause.Pattern, message, scope.Env, scope.Dialect, fresh)) continue;
            foreach (var kv in fresh) scope.Env[kv.Key] = kv.Value;
            return await BodyAsync(clause.Body, scope, ct).ConfigureAwait(false);
        }

        return message; // unreachable: the receive only takes a message some clause matches
    }

    private static bool Matches(Expr pattern, ErlangTerm message, Scope scope) =>
        Patterns.TryMatch(pattern, message, scope.Env, scope.Dialect, new Dictionary<string, ErlangTerm>(StringComparer.Ordinal));

    private static string Chars(ErlangTerm t) => t switch
    {
        ErlangBinary b => Encoding.UTF8.GetString(b.Bytes.Span),
        ErlangString s => s.Value,
        ErlangList l => TermDisplay.CharListText(l) ?? TermFormatter.ToElixir(l),
        ErlangAtom a => a.Name,
        _ => TermFormatter.ToElixir(t),
    };

    internal static ErlangBinary Binary(List<ErlangTerm> parts)
    {
        var bytes = new List<byte>();
        foreach (var p in parts)
        {
            switch (p)
            {
                case ErlangInteger i:
                    bytes.Add((byte)(i.Value & 0xFF));
                    break;
                case ErlangBinary b:
                    bytes.AddRange(b.Bytes.Span);
                    break;
                case ErlangString s:
                    bytes.AddRange(s.Bytes.Span);
                    break;
                case ErlangList l when TermDisplay.CharListText(l) is { } text:
                    foreach (var ch in text) bytes.Add((byte)ch);
                    break;
                default:
                    throw ShellError.Argument("a binary holds integers 0..255, strings and binaries");
            }
        }

        return new ErlangBinary(bytes.ToArray());
    }
}
