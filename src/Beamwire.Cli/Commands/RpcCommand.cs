using System.CommandLine;
using Beamwire.Cli.Commands.Common;
using Beamwire.Cli.Rpc;
using Beamwire.Cli.Shell.Printing;
using Beamwire.Cli.Shell.Syntax;
using Beamwire.Epmd;
using Beamwire.Terms;
using Microsoft.Extensions.Logging;

namespace Beamwire.Cli.Commands;

/// <summary>
/// <c>beamwire rpc NODE MOD FUN [ARG...]</c>: <c>rpc:call(Node, Mod, Fun, Args)</c> from a short-lived
/// hidden node. Each ARG is one term in Erlang syntax (<c>'[1,2,3]'</c>, <c>'{a,"b"}'</c>) or Elixir syntax
/// (<c>'%{a: 1}'</c>); the result prints in Erlang syntax (Elixir with <c>--elixir</c>). Exit 0 with a value,
/// 1 on <c>{badrpc, _}</c> (the reason on stderr), 7 when the node cannot be reached, 2 for a bad term.
/// </summary>
internal sealed class RpcCommand : ICliCommand
{
    private readonly NodeFlags _flags = new(nodeIdentity: false);
    private readonly Argument<string> _node = new("NODE") { Description = "The node: node1@host (or node1 for this host)" };
    private readonly Argument<string> _module = new("MOD") { Description = "Module: lists, :lists, or an Elixir alias such as String" };
    private readonly Argument<string> _function = new("FUN") { Description = "Function name" };
    private readonly Argument<string[]> _args = new("ARG") { Description = "Arguments, one term each, in Erlang or Elixir syntax", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object: {\"node\", \"call\", \"ok\", \"result\", \"error\"}" };
    private readonly Option<bool> _elixir = new("--elixir") { Description = "Read arguments and print the result in Elixir syntax" };
    private readonly Option<double> _timeout = new("--timeout") { Description = "Seconds to wait for the answer", DefaultValueFactory = _ => 30 };

    public RpcCommand()
    {
        Command = new Command("rpc", "Call a function on a node (rpc:call) and print the result") { _node, _module, _function, _args, _json, _elixir, _timeout };
        _flags.AddTo(Command);
        Command.SetAction((result, ct) => CommandErrors.RunAsync("rpc", () => RunAsync(result, ct)));
    }

    public Command Command { get; }

    public int OnParseErrors(ParseResult result) => CommandErrors.OnParseErrors("rpc", result);

    private async Task<int> RunAsync(ParseResult result, CancellationToken ct)
    {
        var elixir = result.GetValue(_elixir);
        var dialect = elixir ? Dialect.Elixir : Dialect.Erlang;
        var settings = _flags.Load(result);
        var target = TargetNode.Parse(result.GetValue(_node)!);
        var module = ModuleAtom(result.GetValue(_module)!);
        var function = ErlangAtom.Get(result.GetValue(_function)!.TrimStart(':'));
        var args = new List<ErlangTerm>();
        foreach (var argText in result.GetValue(_args) ?? [])
        {
            args.Add(ParseArgument(argText, elixir));
        }

        var call = $"{TermFormatter.ToErlang(module)}:{TermFormatter.ToErlang(function)}({string.Join(", ", args.Select(a => TermText.Format(a, dialect)))})";
        var epmdPort = settings.Port(SettingKeys.EpmdPort) ?? EpmdDefaults.ResolvePort();
        await ClientNode.EnsureRegisteredAsync(target, epmdPort, ct).ConfigureAwait(false);
        var warnings = new CapturedWarnings();
        using var loggers = LineLoggerProvider.Factory(LogLevel.Warning, warnings.Add);
        await using var node = await ClientNode.StartAsync("rpc", target, settings.Text(SettingKeys.Cookie), epmdPort, loggers, ct).ConfigureAwait(false);
        using var io = node.CreateGroupLeader(text => Console.Error.Write(text));
        var rpc = new NodeRpcClient(node, io.Pid);
        var value = await rpc.CallAsync(target.Full, module, function, new ErlangList([.. args]), TimeSpan.FromSeconds(result.GetValue(_timeout)), ct).ConfigureAwait(false);

        int exit;
        string? error = null;
        if (RpcTerms.IsBadRpc(value, out var why))
        {
            exit = why is ErlangAtom { Name: "nodedown" } ? ExitCodes.Unreachable : ExitCodes.Failed;
            error = why is ErlangAtom { Name: "nodedown" }
                ? $"cannot reach {target}: {warnings.Last ?? "nodedown"}"
                : $"{call} failed: {TermText.Format(why, dialect)}";
        }
        else
        {
            exit = ExitCodes.Ok;
        }

        var text = TermText.Format(value, dialect);
        if (result.GetValue(_json))
        {
            JsonOut.Write(w =>
            {
                w.WriteString("node", target.Full);
                w.WriteString("call", call);
                w.WriteBoolean("ok", exit == ExitCodes.Ok);
                w.WriteString("result", text);
                if (error is not null) w.WriteString("error", error);
                w.WriteNumber("exit", exit);
            });
        }
        else
        {
            Console.Out.WriteLine(text);
            if (error is not null) Console.Error.WriteLine("beamwire rpc: " + error);
        }

        return exit;
    }

    /// <summary>One term in Erlang syntax (a final '.' optional), else in Elixir syntax; only Elixir with <c>--elixir</c>.</summary>
    private static ErlangTerm ParseArgument(string text, bool elixirOnly)
    {
        if (!elixirOnly)
        {
            try
            {
                return TermParser.ParseErlang(text);
            }
            catch (TermParseException)
            {
                // Not Erlang: Elixir below, whose error is reported if that fails too.
            }
        }

        try
        {
            return TermParser.ParseElixir(text);
        }
        catch (TermParseException ex)
        {
            throw new CliException(ExitCodes.Usage, $"argument '{text}' is not a term: {ex.Message}");
        }
    }

    /// <summary><c>lists</c>, <c>:lists</c>, <c>'Elixir.String'</c> as given; an alias (<c>String</c>, <c>MyApp.Repo</c>) gets Elixir's prefix.</summary>
    private static ErlangAtom ModuleAtom(string text)
    {
        var s = text.Trim().TrimStart(':').Trim('\'', '"');
        if (s.Length > 0 && char.IsAsciiLetterUpper(s[0]) && !s.StartsWith("Elixir.", StringComparison.Ordinal)) s = "Elixir." + s;
        return ErlangAtom.Get(s);
    }
}
