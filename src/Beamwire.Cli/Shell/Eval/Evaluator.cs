using System.Text;
using Beamwire.Cli.Shell.Backends;
using Beamwire.Cli.Shell.Syntax;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Eval;

/// <summary>
/// Evaluates shell expressions: literals and variables here, shell functions (<c>self</c>, <c>send</c>,
/// <c>receive</c>, <c>flush</c>, GenServer, IO, <c>h</c>) on the shell's process, everything else on the
/// command node through <see cref="IShellBackend"/>. Bindings persist between inputs, as in iex.
/// </summary>
internal sealed class Evaluator(IShellBackend backend, ShellProcess process, Func<ErlangReference> makeRef, Action<string> print)
{
    /// <summary>A value the prompt does not print (what <c>h()</c> returns, as IEx hides its result).</summary>
    public static readonly ErlangAtom NoValue = ErlangAtom.Get("do not show this result in output");

    private static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(5);

    public Dictionary<string, ErlangTerm> Bindings { get; } = new(StringComparer.Ordinal);

    public async Task<ErlangTerm> EvalAsync(Expr expr, Dialect dialect, CancellationToken ct)
    {
        switch (expr)
        {
            case LiteralExpr lit:
                return lit.Value;
            case VarExpr v:
                if (Bindings.TryGetValue(v.Name, out var bound)) return bound;
                if (v.MaybeCall && IsZeroArityShellCall(v.Name)) return await CallAsync(null, v.Name, [], dialect, ct).ConfigureAwait(false);
                throw ShellError.Unbound(v.Name, dialect);
            case TupleExpr t:
                return new ErlangTuple([.. await EvalAllAsync(t.Items, dialect, ct).ConfigureAwait(false)]);
            case ListExpr l:
                {
                    var items = await EvalAllAsync(l.Items, dialect, ct).ConfigureAwait(false);
                    var tail = l.Tail is null ? null : await EvalAsync(l.Tail, dialect, ct).ConfigureAwait(false);
                    if (tail is ErlangList tl && tl.IsProper) return new ErlangList([.. items, .. tl.Elements.ToArray()]);
                    if (tail is ErlangString ts) return new ErlangList([.. items, .. ts.ToList().Elements.ToArray()]);
                    return items.Count == 0 && tail is not null ? tail : new ErlangList([.. items], tail);
                }

            case MapExpr m:
                {
                    var pairs = new List<KeyValuePair<ErlangTerm, ErlangTerm>>();
                    foreach (var (k, v) in m.Pairs)
                        pairs.Add(new(await EvalAsync(k, dialect, ct).ConfigureAwait(false), await EvalAsync(v, dialect, ct).ConfigureAwait(false)));
                    return new ErlangMap(pairs.DistinctBy(p => p.Key).ToArray());
                }

            case BinaryExpr b:
                return Binary(await EvalAllAsync(b.Items, dialect, ct).ConfigureAwait(false));
            case CallExpr c:
                return await CallAsync(c.Module, c.Function, await EvalAllAsync(c.Args, dialect, ct).ConfigureAwait(false), dialect, ct).ConfigureAwait(false);
            case SendExpr s:
                {
                    var dest = await EvalAsync(s.Destination, dialect, ct).ConfigureAwait(false);
                    var msg = await EvalAsync(s.Message, dialect, ct).ConfigureAwait(false);
                    process.Send(dest, msg);
                    return msg;
                }

            case MatchExpr m:
                {
                    var value = await EvalAsync(m.Value, dialect, ct).ConfigureAwait(false);
                    var fresh = new Dictionary<string, ErlangTerm>(StringComparer.Ordinal);
                    if (!Patterns.TryMatch(m.Pattern, value, Bindings, dialect, fresh)) throw ShellError.Match(value);
                    foreach (var kv in fresh) Bindings[kv.Key] = kv.Value;
                    return value;
                }

            case ReceiveExpr r:
                return await ReceiveAsync(r, dialect, ct).ConfigureAwait(false);
            case BlockExpr block:
                {
                    ErlangTerm last = ErlangAtom.Nil;
                    foreach (var e in block.Items) last = await EvalAsync(e, dialect, ct).ConfigureAwait(false);
                    return last;
                }

            default:
                throw new ShellError("CompileError", "cannot evaluate this expression", "illegal expression");
        }
    }

    private async Task<List<ErlangTerm>> EvalAllAsync(IReadOnlyList<Expr> items, Dialect dialect, CancellationToken ct)
    {
        var values = new List<ErlangTerm>(items.Count);
        foreach (var e in items) values.Add(await EvalAsync(e, dialect, ct).ConfigureAwait(false));
        return values;
    }

    private static bool IsZeroArityShellCall(string name) => name is "flush" or "h" or "self" or "node" or "nodes";

    private async Task<ErlangTerm> CallAsync(string? module, string function, List<ErlangTerm> args, Dialect dialect, CancellationToken ct)
    {
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
        return await backend.ApplyAsync(module, function, args, ct).ConfigureAwait(false);
    }

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

    private async Task<ErlangTerm> ReceiveAsync(ReceiveExpr r, Dialect dialect, CancellationToken ct)
    {
        TimeSpan? timeout = null;
        if (r.After is not null)
        {
            timeout = await EvalAsync(r.After, dialect, ct).ConfigureAwait(false) switch
            {
                ErlangInteger { Value: >= 0 and <= int.MaxValue } ms => TimeSpan.FromMilliseconds(ms.Value),
                ErlangAtom { Name: "infinity" } => null,
                var other => throw ShellError.Argument($"after takes milliseconds or :infinity, not {TermDisplay.Elixir(other)}"),
            };
        }

        ErlangTerm message;
        try
        {
            message = await process.ReceiveAsync(m => r.Clauses.Any(c => Matches(c.Pattern, m, dialect)), timeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            ErlangTerm last = ErlangAtom.Nil;
            foreach (var e in r.AfterBody) last = await EvalAsync(e, dialect, ct).ConfigureAwait(false);
            return last;
        }

        foreach (var clause in r.Clauses)
        {
            var fresh = new Dictionary<string, ErlangTerm>(StringComparer.Ordinal);
            if (!Patterns.TryMatch(clause.Pattern, message, Bindings, dialect, fresh)) continue;
            foreach (var kv in fresh) Bindings[kv.Key] = kv.Value;
            ErlangTerm last = ErlangAtom.Nil;
            foreach (var e in clause.Body) last = await EvalAsync(e, dialect, ct).ConfigureAwait(false);
            return last;
        }

        return message; // unreachable: the receive only takes a message some clause matches
    }

    private bool Matches(Expr pattern, ErlangTerm message, Dialect dialect) =>
        Patterns.TryMatch(pattern, message, Bindings, dialect, new Dictionary<string, ErlangTerm>(StringComparer.Ordinal));

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
