using Beamwire.Cli.Shell.Syntax;
using Beamwire.Terms;

namespace Beamwire.Cli.Shell.Eval;

/// <summary>
/// An evaluation error, printed as one line the way iex (<c>** (UndefinedFunctionError) ...</c>) or
/// erl (<c>** exception error: ...</c>) prints it; never a .NET stack trace.
/// </summary>
internal sealed class ShellError : Exception
{
    public ShellError(string kind, string elixirMessage, string erlangMessage) : base(elixirMessage)
    {
        Kind = kind;
        ErlangMessage = erlangMessage;
    }

    public ShellError() { }

    public ShellError(string message) : base(message) { }

    public ShellError(string message, Exception innerException) : base(message, innerException) { }

    public string Kind { get; } = "RuntimeError";

    public string ErlangMessage { get; } = "";

    public string Format(Dialect dialect) =>
        dialect == Dialect.Elixir ? $"** ({Kind}) {Message}" : $"** exception error: {ErlangMessage}";

    public static ShellError Undefined(string module, string function, int arity) =>
        new("UndefinedFunctionError",
            $"function {ModuleText(module)}.{function}/{arity} is undefined or private",
            $"undefined function {(module == "" ? "" : Atom(module) + ":")}{function}/{arity}");

    public static ShellError Argument(string what) => new("ArgumentError", what, "bad argument: " + what);

    public static ShellError Match(ErlangTerm value) =>
        new("MatchError", "no match of right hand side value: " + TermFormatter.ToElixir(value),
            "no match of right hand side value " + TermFormatter.ToErlang(value));

    public static ShellError Unbound(string name, Dialect dialect) => dialect == Dialect.Elixir
        ? new("CompileError", $"undefined variable \"{name}\"", "")
        : new("", "", $"variable '{name}' is unbound");

    /// <summary>The error an rpc'd call raised (<c>{'EXIT', Reason}</c> from rex), in iex's words.</summary>
    public static ShellError FromExit(ErlangTerm reason, string module, string function, int arity)
    {
        var r = reason is ErlangTuple { Count: 2 } t && t[1] is ErlangList ? t[0] : reason;
        if (r is ErlangAtom { Name: "undef" }) return Undefined(module, function, arity);
        return r switch
        {
            ErlangAtom { Name: "badarg" } => new("ArgumentError", "argument error", "bad argument"),
            ErlangAtom { Name: "badarith" } => new("ArithmeticError", "bad argument in arithmetic expression", "an error occurred when evaluating an arithmetic expression"),
            ErlangAtom { Name: "function_clause" } => new("FunctionClauseError", $"no function clause matching in {ModuleText(module)}.{function}/{arity}", "no function clause matching"),
            _ => new("ErlangError", "Erlang error: " + TermFormatter.ToElixir(r), TermFormatter.ToErlang(r)),
        };
    }

    public static string ModuleText(string module) =>
        module.StartsWith("Elixir.", StringComparison.Ordinal) ? module["Elixir.".Length..] : TermFormatter.ToElixir(ErlangAtom.Get(module));

    private static string Atom(string name) => TermFormatter.ToErlang(ErlangAtom.Get(name));
}
